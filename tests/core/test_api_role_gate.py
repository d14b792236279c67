"""Staff endpoints refuse a caller without the role before they read the request (permissions.api_auth_for).

django-ninja authenticates, then validates the path, query and body, then calls the view. A role checked in the
view or service came after the validation, so an enterprise user who sent a malformed body to a staff endpoint
was told, field by field, what the endpoint expects (422) instead of being refused (403). Each case below is a
write (or a read with typed parameters) of one app: the outsider gets the 403 the endpoint's own check gives,
whatever they send; an anonymous caller still gets the 401; the holder of the role still gets the 422.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.utils import timezone

from fazhi.core import api_errors
from fazhi.core.models import ApiToken, AuditEvent, User
from fazhi.performance.models import BudgetUnit
from tests.conftest import PASSWORD

JSON = "application/json"

BUREAU_ONLY = "只有财政局（分管领导或系统管理员）可以{}。"
UNIT_EDITORS_ONLY = "只有本预算单位的填报人员可以填报或修改绩效目标表和自评表。"
SUPERVISOR_READS_ONLY = "监督方账号只能查看和留言，不能修改绩效信息。"
PROCUREMENT_ONLY = "只有采购办经办人员可以执行此操作。"
WORKFLOW_ONLY = "只有起草人、法制审核员、分管领导和监督方可以查看送审文稿。"


@dataclass(frozen=True)
class Case:
    """A gated endpoint called with a request it would refuse as malformed (`query` or `body`)."""

    id: str
    method: str
    path: str
    body: dict[str, Any] | None  # None: a GET whose query string is the malformed part
    insider: str  # fixture: a user the gate admits
    outsider: str  # fixture: a logged-in user it refuses
    message: str  # what the endpoint's own check says to the outsider
    model: str  # rows that must not change


CASES = [
    Case("cases: new case", "post", "/api/v1/cases/", {"title": 1}, "clerk", "enterprise",
         "只有法规科编辑人员（起草人、法制审核员）或系统管理员可以编辑以案释法案例。", "cases.Case"),
    Case("laws: paste a law", "post", "/api/v1/laws/manual", {"title": "预算法"}, "reviewer", "enterprise",
         "只有系统管理员或法制审核员可以录入法规。", "laws.LawVersion"),
    Case("laws: correct a status", "post", "/api/v1/laws/1/versions/1/status", {"status": "已废止"}, "reviewer",
         "clerk", "只有系统管理员或法制审核员可以更正效力状态。", "laws.LawVersion"),
    Case("policies: save the profile", "put", "/api/v1/policies/profile", {"name": "某公司"}, "enterprise", "clerk",
         "只有企业用户可以保存企业画像。", "policies.EnterpriseProfile"),
    Case("policies: subscribe", "post", "/api/v1/policies/subscriptions", {"themes": "科技"}, "enterprise",
         "director", "只有企业用户可以订阅惠企政策。", "policies.PolicySubscription"),
    Case("publicity: new post", "post", "/api/v1/publicity/posts", {"kind": "news"}, "clerk", "enterprise",
         "只有法规科编辑人员（起草人、法制审核员）或系统管理员可以编辑普法专栏。", "publicity.Post"),
    Case("publicity: new list", "post", "/api/v1/publicity/responsibility/lists", {"year": "今年"}, "clerk",
         "supervisor", "只有法规科编辑人员或系统管理员可以维护普法责任清单。", "publicity.ResponsibilityList"),
    Case("publicity: record an activity", "post", "/api/v1/publicity/activities", {"title": "宪法宣传"}, "clerk",
         "enterprise", "只有本局工作人员可以填报普法活动。", "publicity.Activity"),
    Case("publicity: overview", "get", "/api/v1/publicity/responsibility/overview?year=今年", None, "director",
         "enterprise", "只有分管领导、系统管理员、监督方或普法编辑人员可以查看普法责任清单。",
         "publicity.ResponsibilityList"),
    Case("exams: issue a certificate", "post", "/api/v1/exams/certificates", {"number": "X-1"}, "examadmin",
         "enterprise", "只有考试管理员可以发放执法证", "exams.EnforcementCertificate"),
    Case("exams: record a training", "post", "/api/v1/exams/trainings", {"hours": "半天"}, "examadmin", "clerk",
         "只有考试管理员可以登记培训和复训结果", "exams.TrainingRecord"),
    Case("exams: change a qualification", "patch", "/api/v1/exams/qualifications/1", {"obtained_on": "去年"},
         "examadmin", "director", "只有考试管理员可以修改法律专业资格", "exams.Qualification"),
    Case("performance: new unit", "post", "/api/v1/performance/units", {"name": "区教育局"}, "director",
         "enterprise", BUREAU_ONLY.format("新建预算单位"), "performance.BudgetUnit"),
    Case("performance: budget approval", "put", "/api/v1/performance/publications/1/2025", {"note": "批复"},
         "director", "supervisor", SUPERVISOR_READS_ONLY, "performance.Publication"),
    Case("performance: target table", "put", "/api/v1/performance/projects/1/target", {"annual_goal": "目标"},
         "unit_member", "director", UNIT_EDITORS_ONLY, "performance.Indicator"),
    Case("performance: remark", "post", "/api/v1/performance/remarks", {"body": "请说明"}, "supervisor",
         "enterprise", "只有监督方和财政局可以留言。", "performance.Remark"),
    Case("performance: projects", "get", "/api/v1/performance/projects?year=今年", None, "director", "enterprise",
         "您的账号无权访问预算绩效信息。", "performance.Project"),
    Case("bidding: new project", "post", "/api/v1/bidding/projects", {"code": "HY-1"}, "buyer", "enterprise",
         PROCUREMENT_ONLY, "bidding.Project"),
    Case("bidding: bid bond", "put", "/api/v1/bidding/projects/1/bid-bond", {"bid_bond": "两万"}, "buyer",
         "supervisor", PROCUREMENT_ONLY, "bidding.Project"),
    Case("bidding: add a bidder", "post", "/api/v1/bidding/projects/1/bidders", {"name": "某公司"}, "buyer",
         "examadmin", PROCUREMENT_ONLY, "bidding.Bidder"),
    Case("bidding: record an outage", "post", "/api/v1/bidding/projects/1/incidents", {"site_id": "主场"},
         "buyer", "enterprise", PROCUREMENT_ONLY, "bidding.Incident"),
    Case("review: new draft", "post", "/api/v1/review/drafts", {"title": 1}, "clerk", "enterprise",
         WORKFLOW_ONLY, "review.Draft"),
    Case("review: transition", "post", "/api/v1/review/drafts/1/transitions", {"action": 1}, "clerk",
         "examadmin", WORKFLOW_ONLY, "review.Transition"),
    Case("review: correct a number", "post", "/api/v1/review/drafts/1/correct-number", {"reason": 1},
         "director", "enterprise", WORKFLOW_ONLY, "review.Draft"),
]  # fmt: skip

# Gated reads whose parameters are plain text (nothing to get wrong): the gate still answers first.
READS = [
    ("/api/v1/reports/figures", "只有分管领导、系统管理员和监督方可以查看数据看板与年度报告。"),
    ("/api/v1/reports/figures/x/records", "只有分管领导、系统管理员和监督方可以查看数据看板与年度报告。"),
    ("/api/v1/exams/certification-gaps", "无权查看应考尽考名单"),
    ("/api/v1/bidding/rules", "您无权查看评标规则参数。"),
    ("/api/v1/bidding/projects/1/result", "评标结果仅向采购办和监督方开放，评标结束后随评标报告送交采购人。"),
    ("/api/v1/bidding/projects/1/archives", "身份核验、音视频存档和副场移交记录仅向采购办和监督方开放。"),
    ("/api/v1/review/ledger", "只有法制审核员、分管领导和监督方可以查看应审尽审台账。"),
    ("/api/v1/review/drafts/1", WORKFLOW_ONLY),
]


@pytest.fixture
def unit_member(clerk):
    """A member of a budget unit: the only kind of user who fills in a unit's tables."""
    BudgetUnit.objects.create(name="区教育局", code="jyj").members.add(clerk)
    return clerk


@pytest.fixture
def superuser(db):
    """A superuser in no role group: has_role admits it to every role."""
    return User.objects.create_superuser(username="root", password=PASSWORD)


def _snapshot(case: Case) -> tuple[int, int]:
    return apps.get_model(case.model).objects.count(), AuditEvent.objects.count()


def _send(client: Client, case: Case, headers: dict[str, str] | None = None) -> Any:
    call = getattr(client, case.method)
    if case.body is None:
        return call(case.path, headers=headers or {})
    return call(case.path, case.body, content_type=JSON, headers=headers or {})


def _caller(request: pytest.FixtureRequest, name: str, via: str) -> tuple[Client, dict[str, str]]:
    user = request.getfixturevalue(name)
    if via == "session":
        client = Client()
        client.force_login(user)
        return client, {}
    return Client(), request.getfixturevalue("token_for")(user)


@pytest.mark.parametrize("via", ["token", "session"])
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_an_outsider_is_refused_before_the_request_is_read(request, case, via):
    client, headers = _caller(request, case.outsider, via)
    before = _snapshot(case)
    r = _send(client, case, headers)
    assert r.status_code == 403, r.content
    assert r.json() == {"detail": case.message, "code": "forbidden"}
    assert _snapshot(case) == before


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_an_anonymous_caller_is_asked_to_log_in(db, case):
    before = _snapshot(case)
    r = _send(Client(), case)
    assert r.status_code == 401, r.content
    assert r.json() == {"detail": api_errors.NOT_AUTHENTICATED}
    assert _snapshot(case) == before


@pytest.mark.parametrize("via", ["token", "session"])
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_a_holder_of_the_role_still_gets_the_field_errors(request, case, via):
    client, headers = _caller(request, case.insider, via)
    before = _snapshot(case)
    r = _send(client, case, headers)
    assert r.status_code == 422, r.content
    body = r.json()
    assert body["detail"].startswith("请求参数不正确") or api_errors.has_chinese(body["detail"])
    assert body["errors"] and all(api_errors.has_chinese(e["msg"]) for e in body["errors"])
    assert _snapshot(case) == before


@pytest.mark.parametrize(
    "case", [c for c in CASES if c.insider != "unit_member"], ids=lambda c: c.id
)  # a unit's tables are its members', superuser or not
def test_a_superuser_passes_every_role_gate_as_has_role_says(client, superuser, token_for, case):
    r = _send(client, case, token_for(superuser))
    assert r.status_code == 422, r.content


@pytest.mark.parametrize(("path", "message"), READS)
def test_a_gated_read_refuses_an_outsider_and_asks_the_anonymous_to_log_in(
    client, enterprise, token_for, path, message
):
    r = client.get(path, headers=token_for(enterprise))
    assert (r.status_code, r.json()) == (403, {"detail": message, "code": "forbidden"})
    assert client.get(path).status_code == 401


def test_a_supervisor_reads_the_dashboard_through_the_gate(client, supervisor, token_for):
    r = client.get("/api/v1/reports/figures?year=2025", headers=token_for(supervisor))
    assert r.status_code == 200, r.content


def test_an_expired_token_keeps_its_own_message_on_a_gated_endpoint(client, enterprise, settings):
    token, key = ApiToken.issue(enterprise)
    issued = timezone.now() - ApiToken.lifetime() - dt.timedelta(minutes=1)
    ApiToken.objects.filter(pk=token.pk).update(created_at=issued)
    r = client.post(
        "/api/v1/cases/", {"title": 1}, content_type=JSON, headers={"Authorization": f"Bearer {key}"}
    )
    assert r.status_code == 401
    assert r.json()["code"] == "token_expired"
    assert f"有效期 {settings.FAZHI_TOKEN_DAYS} 天" in r.json()["detail"]


def test_an_unknown_token_is_a_401_not_a_403(db, client):
    r = client.post(
        "/api/v1/cases/", {"title": 1}, content_type=JSON, headers={"Authorization": "Bearer nonsense"}
    )
    assert (r.status_code, r.json()) == (401, {"detail": api_errors.NOT_AUTHENTICATED})


@pytest.mark.parametrize("who", ["clerk", "enterprise"])
def test_a_session_without_the_csrf_token_is_refused_for_that_as_before(request, who):
    client = Client(enforce_csrf_checks=True)
    client.force_login(request.getfixturevalue(who))
    r = client.post("/api/v1/cases/", {"title": 1}, content_type=JSON)
    assert (r.status_code, r.json()["detail"]) == (403, api_errors.CSRF_FAILED)


def test_the_api_description_still_names_two_ways_to_log_in(db):
    spec = Client().get("/api/v1/openapi.json").json()
    assert set(spec["components"]["securitySchemes"]) == {"TokenAuth", "SessionAuth"}
    assert spec["paths"]["/api/v1/cases/"]["post"]["security"] == [{"TokenAuth": []}, {"SessionAuth": []}]


# --- every operation is public, gated, or open to any logged-in user for a stated reason -------------------

# The requirement of these depends on the object (the exam's named candidates, the project's purchaser and
# committee, the caller's own messages, jobs and subscriptions): any account may qualify, so no role can be
# checked before the request is read. Their views and services check the object.
OPEN_TO_ANY_ACCOUNT = {
    ("GET", "/api/v1/messages"): "本人的站内消息",
    ("POST", "/api/v1/messages/read-all"): "本人的站内消息",
    ("POST", "/api/v1/messages/{message_id}/read"): "本人的站内消息",
    ("GET", "/api/v1/jobs/{job_id}"): "本人提交的后台任务",
    ("GET", "/api/v1/policies/subscriptions"): "本人的订阅（非企业用户为空）",
    ("GET", "/api/v1/exams/"): "考试可指定任何账号为考生",
    ("POST", "/api/v1/exams/{exam_id}/attempts"): "考试可指定任何账号为考生",
    ("PUT", "/api/v1/exams/attempts/{attempt_id}/answers/{question_id}"): "本人的试卷",
    ("GET", "/api/v1/exams/attempts/{attempt_id}"): "本人的试卷",
    ("POST", "/api/v1/exams/attempts/{attempt_id}/submit"): "本人的试卷",
    ("GET", "/api/v1/bidding/projects"): "采购人、评标专家看到与本人有关的项目",
    ("GET", "/api/v1/bidding/projects/{project_id}"): "采购人、评标专家",
    ("GET", "/api/v1/bidding/projects/{project_id}/committees"): "采购人、评标专家",
    ("GET", "/api/v1/bidding/members/{member_id}/sheet"): "评标专家本人的评分表",
    ("PUT", "/api/v1/bidding/members/{member_id}/sheet"): "评标专家本人的评分表",
    ("POST", "/api/v1/bidding/members/{member_id}/sign"): "评标专家本人的评分表",
    ("GET", "/api/v1/bidding/projects/{project_id}/report.docx"): "评标报告送交后的采购人",
    ("POST", "/api/v1/bidding/projects/{project_id}/winner"): "采购人确定中标人",
    ("GET", "/api/v1/bidding/projects/{project_id}/contract"): "采购人、评标专家",
    ("GET", "/api/v1/bidding/projects/{project_id}/corrections"): "采购人、评标专家看到合同日期的更正",
}


def _operations() -> list[tuple[str, str, Any]]:
    """(method, path, operation) of every operation, with the auth its router gave it."""
    from fazhi.api import api

    def full(prefix: str, path: str) -> str:
        mount = f"/{prefix.strip('/')}" if prefix.strip("/") else ""
        return f"/api/v1{mount}/{path.lstrip('/')}".replace("{int:", "{")

    return [
        (method, full(bound.prefix, path), operation)
        for bound in api._get_bound_routers()
        for path, view in bound.path_operations.items()
        for operation in view.operations
        for method in operation.methods
    ]


def test_every_authenticated_operation_checks_its_roles_first(db):
    ungated = set()
    for method, path, operation in _operations():
        if not operation.auth_callbacks:
            continue  # a public endpoint
        if not all(getattr(cb, "check", None) is not None for cb in operation.auth_callbacks):
            ungated.add((method, path))
    assert ungated == set(OPEN_TO_ANY_ACCOUNT)
