"""预算绩效 pages: the public disclosure and the internal back office (units, bureau, supervisors)."""

from fazhi.performance.views.forms import evaluation_edit, target_edit
from fazhi.performance.views.manage import (
    dashboard,
    key_evaluation_new,
    project_detail,
    project_export,
    project_import,
    remark_new,
    transition,
    unit_action,
    unit_detail,
)
from fazhi.performance.views.public import disclosure, disclosure_docx, disclosure_xlsx, index

__all__ = [
    "dashboard",
    "disclosure",
    "disclosure_docx",
    "disclosure_xlsx",
    "evaluation_edit",
    "index",
    "key_evaluation_new",
    "project_detail",
    "project_export",
    "project_import",
    "remark_new",
    "target_edit",
    "transition",
    "unit_action",
    "unit_detail",
]
