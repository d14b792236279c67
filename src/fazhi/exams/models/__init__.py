"""学法考试 models: question bank, exams and attempts, competitions, certificates and training."""

from fazhi.exams.models.bank import KnowledgePoint, MistakeBook, Question, QuestionType
from fazhi.exams.models.certificate import (
    CertificateRule,
    CertificateStatus,
    CertificateStatusChange,
    EnforcementCertificate,
    StaffProfile,
    TrainingKind,
    TrainingRecord,
    TrainingResult,
)
from fazhi.exams.models.competition import Audience, Competition, CompetitionEntry, CompetitionRound
from fazhi.exams.models.exam import Answer, Attempt, CertificationStage, Exam, PartialCredit

__all__ = [
    "Answer",
    "Attempt",
    "Audience",
    "CertificateRule",
    "CertificateStatus",
    "CertificateStatusChange",
    "Competition",
    "CompetitionEntry",
    "CertificationStage",
    "CompetitionRound",
    "EnforcementCertificate",
    "Exam",
    "KnowledgePoint",
    "MistakeBook",
    "PartialCredit",
    "Question",
    "QuestionType",
    "StaffProfile",
    "TrainingKind",
    "TrainingRecord",
    "TrainingResult",
]
