"""远程异地评标 models: sites, expert pools, projects, bidders, committees, draws, score sheets, incidents,
the remote-evaluation records and their corrections, and the rules.

Every model and choice is importable from here, whichever module of the package defines it."""

from fazhi.bidding.models.evaluation import (
    Committee,
    CommitteeMember,
    Draw,
    Incident,
    MemberKind,
    Score,
    ScoreSheet,
)
from fazhi.bidding.models.experts import (
    GROUND_SHORT,
    WINDOW_GROUNDS,
    Expert,
    ExpertPool,
    ExpertRelation,
    Site,
    mask_id_number,
)
from fazhi.bidding.models.projects import (
    Bidder,
    Category,
    Criterion,
    DrawQuota,
    EvaluationMethod,
    Method,
    Participation,
    Project,
    SmePolicy,
    SmeSize,
    Status,
)
from fazhi.bidding.models.records import (
    AvArchive,
    Correction,
    CorrectionSubject,
    Handover,
    IdentityCheck,
    IdentityMethod,
    IdentityResult,
)
from fazhi.bidding.models.rules import Rule

__all__ = [
    "GROUND_SHORT",
    "WINDOW_GROUNDS",
    "AvArchive",
    "Bidder",
    "Category",
    "Committee",
    "CommitteeMember",
    "Correction",
    "CorrectionSubject",
    "Criterion",
    "Draw",
    "DrawQuota",
    "EvaluationMethod",
    "Expert",
    "ExpertPool",
    "ExpertRelation",
    "Handover",
    "IdentityCheck",
    "IdentityMethod",
    "IdentityResult",
    "Incident",
    "MemberKind",
    "Method",
    "Participation",
    "Project",
    "Rule",
    "Score",
    "ScoreSheet",
    "Site",
    "SmePolicy",
    "SmeSize",
    "Status",
    "mask_id_number",
]
