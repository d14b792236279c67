"""学法考试 admin (zh-hans): question bank, exams and their format rule, competitions, staff registry,
certificates, training, legal qualifications.

Importing the submodules registers their model admins.
"""

from fazhi.exams.admin.bank import (
    KnowledgePointAdmin,
    QuestionAdmin,
    QuestionForm,
    SubQuestionForm,
    SubQuestionInline,
)
from fazhi.exams.admin.certificate import (
    CertificateForm,
    CertificateRuleAdmin,
    EnforcementCertificateAdmin,
    TrainingForm,
    TrainingRecordAdmin,
)
from fazhi.exams.admin.competition import CompetitionAdmin, CompetitionEntryAdmin, RoundFilter, RoundInline
from fazhi.exams.admin.exam import (
    AttemptAdmin,
    CertificationExamRuleAdmin,
    CertificationExamRuleForm,
    ExamAdmin,
    ExamForm,
)
from fazhi.exams.admin.permissions import EXAM_ADMIN_ROLES, EvidencePermissions, ExamAdminPermissions
from fazhi.exams.admin.qualification import QualificationAdmin, QualificationForm, QualificationInline
from fazhi.exams.admin.staff import StaffProfileAdmin, StaffProfileForm

__all__ = [
    "EXAM_ADMIN_ROLES",
    "AttemptAdmin",
    "CertificateForm",
    "CertificateRuleAdmin",
    "CertificationExamRuleAdmin",
    "CertificationExamRuleForm",
    "CompetitionAdmin",
    "CompetitionEntryAdmin",
    "EnforcementCertificateAdmin",
    "EvidencePermissions",
    "ExamAdmin",
    "ExamAdminPermissions",
    "ExamForm",
    "KnowledgePointAdmin",
    "QualificationAdmin",
    "QualificationForm",
    "QualificationInline",
    "QuestionAdmin",
    "QuestionForm",
    "RoundFilter",
    "RoundInline",
    "StaffProfileAdmin",
    "StaffProfileForm",
    "SubQuestionForm",
    "SubQuestionInline",
    "TrainingForm",
    "TrainingRecordAdmin",
]
