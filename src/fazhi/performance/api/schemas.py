"""Request and response schemas of the performance API."""

from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import Decimal

from ninja import Schema
from pydantic import Field, field_validator

# --- schemas -------------------------------------------------------------------------------------


class UnitOut(Schema):
    id: int
    name: str
    code: str


class UnitIn(Schema):
    name: str
    code: str
    member_usernames: list[str] = []


class PerformanceProjectIn(Schema):
    unit_id: int
    year: int
    code: str
    name: str
    department: str = ""
    budget_initial: str | float = "0"
    budget_full_year: str | float = "0"
    executed: str | float = "0"


class PerformanceProjectOut(Schema):
    id: int
    unit_id: int
    unit: str
    year: int
    code: str
    name: str
    department: str
    budget_initial: Decimal
    budget_full_year: Decimal
    executed: Decimal | None  # None in a public disclosure until the self-evaluation is published


class IndicatorIn(Schema):
    level1: str
    level2: str
    name: str
    direction: str
    target_value: str | float
    unit: str = ""
    weight: str | float


class IndicatorOut(Schema):
    id: int
    level1: str
    level2: str
    name: str
    direction: str
    direction_label: str
    target_value: str
    unit: str
    weight: Decimal


class TargetIn(Schema):
    annual_goal: str
    indicators: list[IndicatorIn]


class TargetOut(Schema):
    project_id: int
    status: str
    status_label: str
    annual_goal: str
    review_comment: str
    indicators: list[IndicatorOut]


class TableTransitionIn(Schema):
    action: str
    comment: str = ""


class ResultIn(Schema):
    indicator_id: int
    actual_value: str | float = ""
    deviation_reason: str = ""
    improvement: str = ""


class EvaluationIn(Schema):
    achievement: str
    executed: str | float | None = None
    results: list[ResultIn]


class PerformanceResultOut(Schema):
    indicator_id: int
    indicator: str
    target: str
    actual_value: str
    weight: Decimal
    score: Decimal
    met: bool
    rule: str
    explanation: str
    deviation_reason: str
    improvement: str


class EvaluationOut(Schema):
    project_id: int
    status: str
    status_label: str
    achievement: str
    execution_rate: Decimal
    weight_execution: Decimal  # the 分值 the execution rate was scored with
    execution_score: Decimal
    execution_rule: str
    total_score: Decimal
    grade: str
    grade_rule: str
    review_comment: str
    results: list[PerformanceResultOut]


class KeyEvaluationIn(Schema):
    score: str | float
    findings: str
    recommendations: str = ""
    evaluator: str = "区财政局"
    is_final: bool = False


class KeyEvaluationOut(Schema):
    id: int
    project_id: int
    evaluator: str
    score: Decimal
    grade: str
    grade_rule: str
    findings: str
    recommendations: str
    is_final: bool


def _nfkc(value: object) -> object:
    """Full-width digits and dashes in a date ('２０２６－０３－０１') read as ASCII before parsing."""
    return unicodedata.normalize("NFKC", value).strip() if isinstance(value, str) else value


class PublicationIn(Schema):
    budget_approved_on: dt.date
    note: str = ""

    _date = field_validator("budget_approved_on", mode="before")(_nfkc)


class PublishIn(Schema):
    """The body is optional; without it (or without `published_on`) the disclosure is published as of today."""

    published_on: dt.date | None = Field(
        None, description="实际公开日期（默认今天）：不能晚于今天，不能早于计算公开期限的批复日期"
    )

    _date = field_validator("published_on", mode="before")(_nfkc)


class FinalAccountsApprovalIn(Schema):
    final_accounts_approved_on: dt.date

    _date = field_validator("final_accounts_approved_on", mode="before")(_nfkc)


class PublicationOut(Schema):
    """A unit-year's budget disclosure and, once their approval is recorded, its final accounts' (决算).

    The public endpoints leave the `final_accounts_*` fields empty until the final accounts are published.
    """

    unit_id: int
    unit: str
    unit_code: str
    year: int
    budget_approved_on: dt.date
    published_on: dt.date | None
    deadline: dt.date
    overdue_days: int
    message: str
    final_accounts_approved_on: dt.date | None = None
    final_accounts_published_on: dt.date | None = None
    final_accounts_deadline: dt.date | None = None
    final_accounts_overdue_days: int | None = None
    final_accounts_message: str = ""


class CongressSubmissionIn(Schema):
    submitted_on: dt.date
    note: str = ""

    _date = field_validator("submitted_on", mode="before")(_nfkc)


class CongressSubmissionOut(Schema):
    """报送人大: when the unit-year's self-evaluation and key-evaluation results went to the People's Congress."""

    unit_id: int
    unit: str
    unit_code: str
    year: int
    submitted_on: dt.date
    note: str
    recorded_by: str
    recorded_at: dt.datetime


class RemarkIn(Schema):
    unit_id: int
    project_id: int | None = None
    body: str


class RemarkOut(Schema):
    id: int
    unit_id: int
    project_id: int | None
    author: str
    body: str
    created_at: dt.datetime


class DashboardRowOut(Schema):
    project_id: int
    unit: str
    year: int
    project: str
    target_status: str
    evaluation_status: str
    execution_rate: Decimal | None
    total_score: Decimal | None
    grade: str
    unmet_indicators: list[str]
    key_score: Decimal | None
    key_grade: str


class DisclosedProjectOut(Schema):
    project: PerformanceProjectOut
    target: TargetOut | None
    evaluation: EvaluationOut | None
    key_evaluations: list[KeyEvaluationOut]


class DisclosureOut(Schema):
    publication: PublicationOut
    projects: list[DisclosedProjectOut]
