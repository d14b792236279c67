"""学法考试 models: question bank, exams and attempts, competitions, certificates and training."""

from fazhi.exams.models.bank import KnowledgePoint, MistakeBook, Question, QuestionType
from fazhi.exams.models.certificate import (
    CertificateStatus,
    CertificateStatusChange,
    EnforcementCertificate,
    StaffProfile,
    TrainingRecord,
)
from fazhi.exams.models.competition import Audience, Competition, CompetitionEntry, CompetitionRound
from fazhi.exams.models.exam import Answer, Attempt, Exam, PartialCredit

__all__ = [
    "Answer",
    "Attempt",
    "Audience",
    "CertificateStatus",
    "CertificateStatusChange",
    "Competition",
    "CompetitionEntry",
    "CompetitionRound",
    "EnforcementCertificate",
    "Exam",
    "KnowledgePoint",
    "MistakeBook",
    "PartialCredit",
    "Question",
    "QuestionType",
    "StaffProfile",
    "TrainingRecord",
]
