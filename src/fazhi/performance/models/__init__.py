"""预算绩效 models: budget units, projects, target tables, self-evaluations, key evaluations, disclosure.

Who may do what (decided here, enforced in `access.py`):
- a 预算单位 fills in its own tables: the accounts listed in `BudgetUnit.members` (unit users);
- the bureau (财政局: 分管领导 and 系统管理员) creates units and projects, reviews, publishes and
  writes key evaluations;
- 监督方 (纪检监察, 人大, 政协 accounts) read everything and may leave remarks, nothing else.
"""

# Imported in the order the models were declared in one module: Django registers them in import order
# (apps.get_models(), dumpdata), and that order is kept.
# isort: off
from fazhi.performance.models.projects import ZERO, BudgetUnit, Project
from fazhi.performance.models.evaluation import (
    EDITABLE,
    Indicator,
    IndicatorResult,
    KeyEvaluation,
    PerformanceTarget,
    Reviewed,
    SelfEvaluation,
    Status,
)
from fazhi.performance.models.disclosure import CongressSubmission, Publication, Remark
from fazhi.performance.models.scoring import ScoringConfig

# isort: on

__all__ = [
    "EDITABLE",
    "ZERO",
    "BudgetUnit",
    "CongressSubmission",
    "Indicator",
    "IndicatorResult",
    "KeyEvaluation",
    "PerformanceTarget",
    "Project",
    "Publication",
    "Remark",
    "Reviewed",
    "ScoringConfig",
    "SelfEvaluation",
    "Status",
]
