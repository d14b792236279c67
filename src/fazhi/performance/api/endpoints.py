"""预算绩效 API (/api/v1/performance/): units, projects, targets, evaluations, publications, 报送人大.

Internal endpoints need a token (or the session); `/public/…` serves published disclosures anonymously.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja import Status as Created
from ninja.security.base import AuthBase

from fazhi.core.errors import NotFound
from fazhi.core.models import User
from fazhi.core.permissions import api_auth_checked, api_user
from fazhi.performance import access, rules, selectors, services
from fazhi.performance.api.schemas import (
    CongressSubmissionIn,
    CongressSubmissionOut,
    DashboardRowOut,
    DisclosureOut,
    EvaluationIn,
    EvaluationOut,
    FinalAccountsApprovalIn,
    KeyEvaluationIn,
    KeyEvaluationOut,
    PerformanceProjectIn,
    PerformanceProjectOut,
    PublicationIn,
    PublicationOut,
    PublishIn,
    RemarkIn,
    RemarkOut,
    TableTransitionIn,
    TargetIn,
    TargetOut,
    UnitIn,
    UnitOut,
)
from fazhi.performance.api.serializers import (
    _congress_out,
    _evaluation_out,
    _key_out,
    _project_out,
    _pub_out,
    _target_out,
)
from fazhi.performance.models import BudgetUnit, Project, Publication

router = Router(tags=["预算绩效"])

# Who may call an endpoint at all is settled before the request is read: a caller who could not pass the
# service's check for any unit gets its 403 at once, never a 422 about the fields. The checks that depend on
# the unit or project addressed stay where they are (access.require_view_unit, the services).
internal_auth = api_auth_checked(access.require_internal)  # the bureau, 监督方 and the units' members
unit_editor_auth = api_auth_checked(access.require_some_unit_editor)  # a unit's members fill in its tables
writer_auth = api_auth_checked(access.require_some_writer)  # a unit's members submit, the bureau reviews
remarker_auth = api_auth_checked(access.require_remarker)  # 监督方 and the bureau leave remarks


def _bureau_auth(action: str) -> list[AuthBase]:
    """The bureau only (分管领导, 系统管理员), refused with the services' message for `action`."""
    return api_auth_checked(partial(access.require_bureau, action=action))


# --- lookups -------------------------------------------------------------------------------------


def _project(request: HttpRequest, project_id: int) -> Project:
    project = Project.objects.select_related("unit").filter(pk=project_id).first()
    if project is None:
        raise NotFound(f"项目 {project_id} 不存在。")
    access.require_view_unit(api_user(request), project.unit_id)
    return project


def _transition(request: HttpRequest, project_id: int, kind: str, payload: TableTransitionIn) -> Project:
    """Submit, approve or return the project's target table or self-evaluation (`kind`)."""
    project = _project(request, project_id)
    services.transition(
        actor=api_user(request), project=project, kind=kind, action=payload.action, comment=payload.comment
    )
    return project


def _unit(request: HttpRequest, unit_id: int) -> BudgetUnit:
    unit = BudgetUnit.objects.filter(pk=unit_id).first()
    if unit is None:
        raise NotFound(f"预算单位 {unit_id} 不存在。")
    access.require_view_unit(api_user(request), unit.pk)
    return unit


# --- endpoints -----------------------------------------------------------------------------------


@router.get("/units", response=list[UnitOut], auth=internal_auth, summary="预算单位列表")
def list_units(request: HttpRequest) -> Any:
    return list(selectors.units_for(api_user(request)))


@router.post(
    "/units", response={201: UnitOut}, auth=_bureau_auth("新建预算单位"), summary="新建预算单位（财政局）"
)
def create_unit(request: HttpRequest, payload: UnitIn) -> Any:
    members = list(User.objects.filter(username__in=payload.member_usernames))
    missing = set(payload.member_usernames) - {u.username for u in members}
    if missing:
        raise NotFound(f"账号不存在：{'、'.join(sorted(missing))}")
    unit = services.create_unit(
        actor=api_user(request), name=payload.name, code=payload.code, members=members
    )
    return Created(201, unit)


@router.get("/projects", response=list[PerformanceProjectOut], auth=internal_auth, summary="项目支出列表")
def list_projects(request: HttpRequest, unit_id: int | None = None, year: int | None = None) -> Any:
    return [_project_out(p) for p in selectors.projects_for(api_user(request), unit_id=unit_id, year=year)]


@router.post(
    "/projects",
    response={201: PerformanceProjectOut},
    auth=_bureau_auth("新建项目"),
    summary="新建项目（财政局）",
)
def create_project(request: HttpRequest, payload: PerformanceProjectIn) -> Any:
    unit = _unit(request, payload.unit_id)
    data = payload.dict(exclude={"unit_id"})
    project = services.create_project(actor=api_user(request), unit=unit, **data)
    return Created(201, _project_out(project))


@router.get("/projects/{project_id}", response=PerformanceProjectOut, auth=internal_auth, summary="项目详情")
def get_project(request: HttpRequest, project_id: int) -> Any:
    return _project_out(_project(request, project_id))


@router.get("/projects/{project_id}/target", response=TargetOut, auth=internal_auth, summary="绩效目标表")
def get_target(request: HttpRequest, project_id: int) -> Any:
    return _target_out(_project(request, project_id))


@router.put(
    "/projects/{project_id}/target",
    response=TargetOut,
    auth=unit_editor_auth,
    summary="保存绩效目标表（单位）",
)
def put_target(request: HttpRequest, project_id: int, payload: TargetIn) -> Any:
    project = _project(request, project_id)
    rows = [
        (
            f"第{i}项",
            rules.IndicatorRow(
                x.level1, x.level2, x.name, x.direction, str(x.target_value), x.unit, str(x.weight)
            ),
        )
        for i, x in enumerate(payload.indicators, start=1)
    ]
    services.save_target(actor=api_user(request), project=project, annual_goal=payload.annual_goal, rows=rows)
    return _target_out(project)


@router.post(
    "/projects/{project_id}/target/transition",
    response=TargetOut,
    auth=writer_auth,
    summary="提交/审核/退回目标表",
)
def target_transition(request: HttpRequest, project_id: int, payload: TableTransitionIn) -> Any:
    return _target_out(_transition(request, project_id, "target", payload))


@router.get(
    "/projects/{project_id}/evaluation", response=EvaluationOut, auth=internal_auth, summary="绩效自评表"
)
def get_evaluation(request: HttpRequest, project_id: int) -> Any:
    return _evaluation_out(_project(request, project_id))


@router.put(
    "/projects/{project_id}/evaluation",
    response=EvaluationOut,
    auth=unit_editor_auth,
    summary="填报绩效自评表（单位）",
)
def put_evaluation(request: HttpRequest, project_id: int, payload: EvaluationIn) -> Any:
    project = _project(request, project_id)
    actuals = {
        r.indicator_id: services.ActualInput(str(r.actual_value), r.deviation_reason, r.improvement)
        for r in payload.results
    }
    services.save_self_evaluation(
        actor=api_user(request),
        project=project,
        achievement=payload.achievement,
        actuals=actuals,
        executed=None if payload.executed is None else str(payload.executed),
    )
    return _evaluation_out(project)


@router.post(
    "/projects/{project_id}/evaluation/transition",
    response=EvaluationOut,
    auth=writer_auth,
    summary="提交/审核/退回自评表",
)
def evaluation_transition(request: HttpRequest, project_id: int, payload: TableTransitionIn) -> Any:
    return _evaluation_out(_transition(request, project_id, "evaluation", payload))


@router.get(
    "/projects/{project_id}/key-evaluations",
    response=list[KeyEvaluationOut],
    auth=internal_auth,
    summary="重点绩效评价",
)
def list_key_evaluations(request: HttpRequest, project_id: int) -> Any:
    return [_key_out(k) for k in _project(request, project_id).key_evaluations.all()]


@router.post(
    "/projects/{project_id}/key-evaluations",
    response={201: KeyEvaluationOut},
    auth=_bureau_auth("开展重点绩效评价"),
    summary="新增重点绩效评价（财政局）",
)
def create_key_evaluation(request: HttpRequest, project_id: int, payload: KeyEvaluationIn) -> Any:
    project = _project(request, project_id)
    key = services.save_key_evaluation(actor=api_user(request), project=project, **payload.dict())
    return Created(201, _key_out(key))


@router.get("/publications", response=list[PublicationOut], auth=internal_auth, summary="公开记录（内部）")
def list_publications(request: HttpRequest, year: int | None = None) -> Any:
    user = api_user(request)
    qs = Publication.objects.select_related("unit").filter(unit__in=selectors.units_for(user))
    if year:
        qs = qs.filter(year=year)
    config = selectors.get_config()
    return [_pub_out(p, config) for p in qs]


@router.put(
    "/publications/{unit_id}/{year}",
    response=PublicationOut,
    auth=_bureau_auth("登记预算批复日期"),
    summary="登记预算批复日期（财政局）",
)
def put_publication(request: HttpRequest, unit_id: int, year: int, payload: PublicationIn) -> Any:
    unit = _unit(request, unit_id)
    pub = services.set_budget_approval(
        actor=api_user(request),
        unit=unit,
        year=year,
        approved_on=payload.budget_approved_on,
        note=payload.note,
    )
    return _pub_out(pub)


@router.post(
    "/publications/{unit_id}/{year}/publish",
    response=PublicationOut,
    auth=_bureau_auth("公开绩效信息"),
    summary="公开（财政局）",
)
def publish(request: HttpRequest, unit_id: int, year: int, payload: PublishIn | None = None) -> Any:
    # The body is optional: callers that send none publish as of today, as before published_on existed.
    unit = _unit(request, unit_id)
    published_on = payload.published_on if payload else None
    pub = services.publish(actor=api_user(request), unit=unit, year=year, published_on=published_on)
    return _pub_out(pub)


@router.put(
    "/publications/{unit_id}/{year}/final-accounts",
    response=PublicationOut,
    auth=_bureau_auth("登记决算批复日期"),
    summary="登记决算批复日期（财政局）",
)
def put_final_accounts(
    request: HttpRequest, unit_id: int, year: int, payload: FinalAccountsApprovalIn
) -> Any:
    unit = _unit(request, unit_id)
    pub = services.set_final_accounts_approval(
        actor=api_user(request), unit=unit, year=year, approved_on=payload.final_accounts_approved_on
    )
    return _pub_out(pub)


@router.post(
    "/publications/{unit_id}/{year}/final-accounts/publish",
    response=PublicationOut,
    auth=_bureau_auth("公开决算绩效信息"),
    summary="公开决算（财政局）",
)
def publish_final_accounts(
    request: HttpRequest, unit_id: int, year: int, payload: PublishIn | None = None
) -> Any:
    unit = _unit(request, unit_id)
    published_on = payload.published_on if payload else None
    pub = services.publish_final_accounts(
        actor=api_user(request), unit=unit, year=year, published_on=published_on
    )
    return _pub_out(pub)


@router.get(
    "/congress-submissions",
    response=list[CongressSubmissionOut],
    auth=internal_auth,
    summary="报送人大记录（内部）",
)
def list_congress_submissions(
    request: HttpRequest, unit_id: int | None = None, year: int | None = None
) -> Any:
    user = api_user(request)
    return [_congress_out(s) for s in selectors.congress_submissions_for(user, unit_id=unit_id, year=year)]


@router.put(
    "/congress-submissions/{unit_id}/{year}",
    response=CongressSubmissionOut,
    auth=_bureau_auth("登记报送人大日期"),
    summary="登记报送人大日期（财政局）",
)
def put_congress_submission(
    request: HttpRequest, unit_id: int, year: int, payload: CongressSubmissionIn
) -> Any:
    unit = _unit(request, unit_id)
    submission = services.record_congress_submission(
        actor=api_user(request), unit=unit, year=year, submitted_on=payload.submitted_on, note=payload.note
    )
    return _congress_out(submission)


@router.post("/remarks", response={201: RemarkOut}, auth=remarker_auth, summary="监督方留言")
def create_remark(request: HttpRequest, payload: RemarkIn) -> Any:
    unit = _unit(request, payload.unit_id)
    project = _project(request, payload.project_id) if payload.project_id else None
    remark = services.add_remark(actor=api_user(request), unit=unit, project=project, body=payload.body)
    return Created(
        201,
        {
            "id": remark.pk,
            "unit_id": unit.pk,
            "project_id": project.pk if project else None,
            "author": str(remark.author),
            "body": remark.body,
            "created_at": remark.created_at,
        },
    )


@router.get("/dashboard", response=list[DashboardRowOut], auth=internal_auth, summary="绩效看板")
def dashboard(request: HttpRequest, year: int | None = None, unit_id: int | None = None) -> Any:
    rows = selectors.dashboard(api_user(request), year=year, unit_id=unit_id)
    return [
        {
            "project_id": r.project.pk,
            "unit": r.project.unit.name,
            "year": r.project.year,
            "project": r.project.name,
            "target_status": r.target_status,
            "evaluation_status": r.evaluation_status,
            "execution_rate": r.execution_rate,
            "total_score": r.total_score,
            "grade": r.grade,
            "unmet_indicators": r.unmet,
            "key_score": r.key_score,
            "key_grade": r.key_grade,
        }
        for r in rows
    ]


@router.get("/public/disclosures", response=list[PublicationOut], summary="已公开的绩效信息（公开）")
def public_disclosures(request: HttpRequest) -> Any:
    config = selectors.get_config()
    return [_pub_out(p, config, public=True) for p in selectors.published_disclosures()]


@router.get(
    "/public/disclosures/{unit_code}/{year}", response=DisclosureOut, summary="单位年度绩效公开（公开）"
)
def public_disclosure(request: HttpRequest, unit_code: str, year: int) -> Any:
    d = selectors.disclosure(unit_code=unit_code, year=year)
    if d is None:
        raise NotFound(f"没有找到单位“{unit_code}”{year} 年度已公开的绩效信息。")
    return {
        "publication": _pub_out(d.publication, d.config, public=True),
        # As the public page shows them: no 全年执行数 before the self-evaluation is published, and no review
        # comments (the bureau's notes to the unit).
        "projects": [
            {
                "project": {**_project_out(item.project), "executed": item.executed},
                "target": (
                    {**_target_out(item.project, item.target), "review_comment": ""} if item.target else None
                ),
                "evaluation": (
                    {**_evaluation_out(item.project, item.evaluation, d.config), "review_comment": ""}
                    if item.evaluation
                    else None
                ),
                "key_evaluations": [_key_out(k) for k in item.key_evaluations],
            }
            for item in d.projects
        ],
    }
