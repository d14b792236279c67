"""合法性审查 writes: drafts and versions, procedure records and the state machine (see workflow.TABLE).

Split by subject: `drafts` (registration, uploads, pre-check), `procedures` (征求意见 / 评估论证 / 集体审议
and their order), `transitions` (the state machine) and `corrections` (更正发文字号/签发人 after publication).
Opinion writes (findings, pre-check decisions) live in `opinions.py`.
"""

from fazhi.review.services.corrections import can_correct, correct_publication
from fazhi.review.services.drafts import (
    EDITABLE_STATES,
    MAX_UNIT,
    create_draft,
    precheck_after_procedures,
    rerun_precheck,
    run_precheck,
    upload_version,
)

# Helpers other review modules share (fair_competition, the draft pages).
from fazhi.review.services.drafts import _lock as _lock
from fazhi.review.services.drafts import _require_owner_drafter as _require_owner_drafter
from fazhi.review.services.procedures import (
    BEFORE_REVIEW,
    PROCEDURE_LOOKBACK_DAYS,
    add_procedure,
    missing_procedures,
    procedure_order_problems,
    procedures_changed,
)
from fazhi.review.services.transitions import _acts_as as _acts_as
from fazhi.review.services.transitions import log_transition, reviews_own, transition

__all__ = [
    "BEFORE_REVIEW",
    "EDITABLE_STATES",
    "MAX_UNIT",
    "PROCEDURE_LOOKBACK_DAYS",
    "add_procedure",
    "can_correct",
    "correct_publication",
    "create_draft",
    "log_transition",
    "missing_procedures",
    "precheck_after_procedures",
    "procedure_order_problems",
    "procedures_changed",
    "rerun_precheck",
    "reviews_own",
    "run_precheck",
    "transition",
    "upload_version",
]
