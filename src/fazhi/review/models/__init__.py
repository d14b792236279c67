"""合法性审查 models: drafts, their versions, pre-check findings, opinions and the records kept on a draft."""

from fazhi.review.models.drafts import DocType, DocTypeRule, Draft, DraftVersion, State
from fazhi.review.models.opinions import Conclusion, OpinionFinding, PrecheckFinding, ReviewOpinion
from fazhi.review.models.records import (
    ExceptionGround,
    FairCompetitionReview,
    FairConclusion,
    ProcedureRecord,
    ProcedureStep,
    Transition,
    ValidityEvaluation,
    ValidityOutcome,
)

__all__ = [
    "Conclusion",
    "DocType",
    "DocTypeRule",
    "Draft",
    "DraftVersion",
    "ExceptionGround",
    "FairCompetitionReview",
    "FairConclusion",
    "OpinionFinding",
    "PrecheckFinding",
    "ProcedureRecord",
    "ProcedureStep",
    "ReviewOpinion",
    "State",
    "Transition",
    "ValidityEvaluation",
    "ValidityOutcome",
]
