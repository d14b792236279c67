"""合法性审查 pages."""

from fazhi.review.views.drafts import (
    draft_correct_number,
    draft_detail,
    draft_new,
    draft_transition,
    draft_upload,
    index,
    opinion_docx,
    version_diff,
    version_text,
)
from fazhi.review.views.ledger import ledger_page, ledger_xlsx
from fazhi.review.views.opinions import (
    conclusion,
    finding_add,
    finding_remove,
    finding_resolve,
    precheck_decide,
    precheck_rerun,
)
from fazhi.review.views.records import draft_fair_competition, draft_library, draft_procedure, draft_validity
from fazhi.review.views.register import (
    register_edit,
    register_import,
    register_list,
    register_new,
    register_template,
    register_xlsx,
)

__all__ = [
    "conclusion",
    "draft_correct_number",
    "draft_detail",
    "draft_fair_competition",
    "draft_library",
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
    "register_edit",
    "register_import",
    "register_list",
    "register_new",
    "register_template",
    "register_xlsx",
    "version_diff",
    "version_text",
]
