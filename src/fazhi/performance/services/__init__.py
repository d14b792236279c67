"""预算绩效 writes: every rule and every write lives here (split by who acts).

`tables` — the unit fills in 绩效目标表 / 绩效自评表 and sends them through review;
`bureau` — the bureau manages units and projects and key evaluations; supervisors remark;
`disclosure` — the bureau records budget and final-accounts (决算) approval and publication, and 报送人大.
"""

from fazhi.performance.services.bureau import (
    add_remark,
    create_project,
    create_unit,
    save_key_evaluation,
)
from fazhi.performance.services.common import Problem, TableInvalid
from fazhi.performance.services.disclosure import (
    publish,
    publish_final_accounts,
    record_congress_submission,
    remind_disclosure_deadlines,
    set_budget_approval,
    set_final_accounts_approval,
)
from fazhi.performance.services.tables import (
    ActualInput,
    indicator_note_problems,
    rescore,
    save_self_evaluation,
    save_target,
    transition,
)

__all__ = [
    "ActualInput",
    "Problem",
    "TableInvalid",
    "add_remark",
    "create_project",
    "create_unit",
    "indicator_note_problems",
    "publish",
    "publish_final_accounts",
    "record_congress_submission",
    "remind_disclosure_deadlines",
    "rescore",
    "save_key_evaluation",
    "save_self_evaluation",
    "save_target",
    "set_budget_approval",
    "set_final_accounts_approval",
    "transition",
]
