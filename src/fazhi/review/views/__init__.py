"""合法性审查 pages."""

from fazhi.review.views.drafts import (
    conclusion,
    draft_detail,
    draft_fair_competition,
    draft_new,
    draft_procedure,
    draft_transition,
    draft_upload,
    draft_validity,
    finding_add,
    finding_remove,
    finding_resolve,
    index,
    opinion_docx,
    precheck_decide,
    precheck_rerun,
    version_diff,
    version_text,
)
from fazhi.review.views.ledger import ledger_page, ledger_xlsx

__all__ = [
    "conclusion",
    "draft_detail",
    "draft_fair_competition",
    "draft_new",
    "draft_procedure",
    "draft_validity",
    "draft_transition",
    "draft_upload",
    "finding_add",
    "finding_remove",
    "finding_resolve",
    "index",
    "ledger_page",
    "ledger_xlsx",
    "opinion_docx",
    "precheck_decide",
    "precheck_rerun",
    "version_diff",
    "version_text",
]
