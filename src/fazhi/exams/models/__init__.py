"""学法考试 models: question bank, exams and attempts, competitions, certificates, training, qualifications."""

from fazhi.exams.models.bank import KnowledgePoint, MistakeBook, Question, QuestionType
from fazhi.exams.models.certificate import (
    CertificateRule,
    CertificateStatus,
    CertificateStatusChange,
    EnforcementCertificate,
    StaffPostChange,
    StaffProfile,
    TrainingKind,
    TrainingRecord,
    TrainingResult,
    state_label,
)
from fazhi.exams.models.competition import Audience, Competition, CompetitionEntry, CompetitionRound
from fazhi.exams.models.exam import (
    Answer,
    Attempt,
    CertificationExamRule,
    CertificationStage,
    Exam,
    PartialCredit,
)
from fazhi.exams.models.qualification import CERTIFICATE_KINDS, Qualification, QualificationKind

__all__ = [
    "CERTIFICATE_KINDS",
    "Answer",
    "Attempt",
    "Audience",
    "CertificateRule",
    "CertificateStatus",
    "CertificateStatusChange",
    "Competition",
    "CompetitionEntry",
    "CertificationExamRule",
    "CertificationStage",
    "CompetitionRound",
    "EnforcementCertificate",
    "Exam",
    "KnowledgePoint",
    "MistakeBook",
    "PartialCredit",
    "Qualification",
    "QualificationKind",
    "Question",
    "QuestionType",
    "StaffPostChange",
    "StaffProfile",
    "TrainingKind",
    "TrainingRecord",
    "TrainingResult",
    "state_label",
]
