"""合法性审查 models: drafts, their versions, pre-check findings, opinions, the records kept on a draft and the
发文登记簿 (register of outgoing documents)."""

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
from fazhi.review.models.register import IssuedDocument, RegisterSource

__all__ = [
    "Conclusion",
    "DocType",
    "DocTypeRule",
    "Draft",
    "DraftVersion",
    "ExceptionGround",
    "FairCompetitionReview",
    "FairConclusion",
    "IssuedDocument",
    "OpinionFinding",
    "PrecheckFinding",
    "ProcedureRecord",
    "ProcedureStep",
    "RegisterSource",
    "ReviewOpinion",
    "State",
    "Transition",
    "ValidityEvaluation",
    "ValidityOutcome",
]
