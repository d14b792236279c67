"""Request and response schemas of the bidding API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Schema


class SiteOut(Schema):
    id: int
    name: str
    region: str


class PoolOut(Schema):
    id: int
    name: str
    region: str
    site: str
    experts: int


class ExpertOut(Schema):
    id: int
    name: str
    id_number: str  # masked
    specialties: list[str]
    employer: str
    has_account: bool


class ImportOut(Schema):
    ok: bool
    created: int
    updated: int
    errors: list[dict[str, Any]]


class CriterionIn(Schema):
    name: str
    max_points: Decimal
    objective: bool = False


class QuotaIn(Schema):
    site_id: int
    specialty: str
    count: int


class ProjectIn(Schema):
    code: str
    name: str
    purchaser: str
    agency: str = ""
    budget: Decimal
    category: str
    method: str
    evaluation_method: str
    price_weight: Decimal = Decimal("30")
    sme_policy: str = "none"
    sme_deduction_pct: Decimal = Decimal("0")
    committee_size: int
    purchaser_rep_count: int = 0
    candidate_count: int = 3
    host_site_id: int
    assist_site_ids: list[int] = []
    quotas: list[QuotaIn]
    criteria: list[CriterionIn] = []
    evaluation_start: dt.datetime
    names_reveal_at: dt.datetime
    purchaser_username: str = ""


class CriterionOut(Schema):
    id: int
    name: str
    max_points: Decimal
    objective: bool


class BidderOut(Schema):
    id: int
    name: str
    credit_code: str
    bid_price: Decimal
    sme_declaration: bool
    sme_size: str
    valid: bool
    invalid_reason: str


class ProjectOut(Schema):
    id: int
    code: str
    name: str
    purchaser: str
    budget: Decimal
    category: str
    method: str
    evaluation_method: str
    price_weight: Decimal
    sme_policy: str
    sme_deduction_pct: Decimal
    committee_size: int
    status: str
    status_label: str
    host_site: str
    assist_sites: list[str]
    evaluation_start: dt.datetime
    names_reveal_at: dt.datetime
    criteria: list[CriterionOut]
    bidders: list[BidderOut]
    report_due: dt.date | None = None
    confirm_due: dt.date | None = None
    new_committee_needed: bool = False


class BidderIn(Schema):
    name: str
    bid_price: Decimal
    credit_code: str = ""
    sme_declaration: bool = False
    sme_size: str = ""


class ValidityIn(Schema):
    valid: bool
    reason: str = ""


class SeedIn(Schema):
    seed: str | None = None


class ReplaceIn(Schema):
    reason: str
    seed: str | None = None


class MemberOut(Schema):
    id: int
    seat: int
    name: str
    kind: str
    role: str
    site: str
    specialty: str
    active: bool
    replaced_reason: str
    signed: bool


class DrawOut(Schema):
    id: int
    kind: str
    seed: str
    created_at: dt.datetime
    excluded: int
    reproducible: bool


class CommitteeOut(Schema):
    id: int
    number: int
    active: bool
    superseded_reason: str
    members: list[MemberOut]
    draws: list[DrawOut]


class ScoreIn(Schema):
    bidder_id: int
    criterion_id: int
    points: Decimal | None = None
    reason: str = ""


class SheetIn(Schema):
    entries: list[ScoreIn]


class SheetOut(Schema):
    member_id: int
    seat: int
    site: str
    signed: bool
    signed_at: dt.datetime | None
    sign_hash: str
    scores: list[ScoreIn]
    problems: list[str]


class ResultLineOut(Schema):
    rank: int
    bidder_id: int
    bidder: str
    bid_price: Decimal
    deduction_pct: Decimal
    evaluated_price: Decimal
    price_score: Decimal
    criteria: dict[str, Decimal]
    total: Decimal
    recommended: bool


class ResultOut(Schema):
    complete: bool
    base_price: Decimal
    unsigned_seats: list[int]
    tie_rule: str
    lines: list[ResultLineOut]


class WinnerIn(Schema):
    bidder_id: int
    reason: str = ""


class IncidentIn(Schema):
    site_id: int
    started_at: dt.datetime
    ended_at: dt.datetime | None = None
    description: str


class IncidentEndIn(Schema):
    ended_at: dt.datetime


class IncidentOut(Schema):
    id: int
    site: str
    started_at: dt.datetime
    ended_at: dt.datetime | None
    description: str


class RepresentativeIn(Schema):
    name: str
    username: str


class ReasonIn(Schema):
    reason: str


class VerifyOut(Schema):
    ok: bool
    sheets_checked: int
    draws_checked: int
    problems: list[str]


class StatusOut(Schema):
    id: int
    status: str


class RuleOut(Schema):
    key: str
    title: str
    value: Any
    source: str
    note: str
