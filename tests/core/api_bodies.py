"""A valid request for each write of the API, built on the demo data (`fazhi demo setup`).

The write sweep (`test_api_write_sweep.py`) builds its "otherwise valid" body from the API description alone;
many services refuse such a body early (an unknown doc_type, a start time in the past, an id that must refer
to an object in some state) before their own length and range checks run. `valid_request(op, root)` gives a
request the service accepts: the path ids and the body below (a factory per operation, which may first bring a
demo object into the state the operation needs), or, for an operation without a factory, the schema's body
sent to the first demo object of each path id. The sweep sends it (it must succeed) and then, one field at a
time, the bad values within it.

A factory runs inside the test's transaction, before the sweep takes its snapshot of the database; whatever it
creates is rolled back with the test.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from tests.conftest import PASSWORD


@dataclass
class Valid:
    """A request the operation accepts. `path`: the path parameters; `body`: the JSON body (the form fields of
    a multipart request); `files`: multipart files, name → (file name, content); `user`: who sends it when the
    operation is for one particular person (the member's own score sheet, the unit's own filler), else the
    sweep's superuser; `refused`: values the service must refuse for a field of this body besides the sweep's
    generic bad values (a date in the past or the future where the operation forbids it), path → [(what,
    value)]; `accepts`: the sweep's generic bad values (by their label) that the field may take, path →
    [label], each with the reason; `limits`: the documented limit of a text that may be longer than the
    sweep's 100,000 characters (a law's full text), path → characters: it gets one character too many instead."""

    path: dict[str, Any] = field(default_factory=dict)
    body: dict[str, Any] | None = None
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    user: Any = None
    refused: dict[tuple[str | int, ...], list[tuple[str, Any]]] = field(default_factory=dict)
    accepts: dict[tuple[str | int, ...], list[str]] = field(default_factory=dict)
    limits: dict[tuple[str | int, ...], int] = field(default_factory=dict)


def _today() -> dt.date:
    return timezone.localdate()


def _day(days: int) -> str:
    return (_today() + dt.timedelta(days=days)).isoformat()


def _at(**delta: float) -> str:
    return (timezone.localtime() + dt.timedelta(**delta)).replace(microsecond=0).isoformat()


FUTURE_DAY = ("a day in the future", "2999-12-31")
FUTURE_TIME = ("a time in the future", "2999-12-31T09:00:00+08:00")
PAST_TIME = ("a time long past", "2000-01-01T09:00:00+08:00")
LONG_PAST_DAY = ("a day long past", "1900-01-01")
LONG_PAST_TIME = ("a time long past", "1900-01-01T09:00:00+08:00")
DAYS = [FUTURE_DAY, LONG_PAST_DAY]  # neither still to come nor long before the object it concerns
TIMES = [FUTURE_TIME, LONG_PAST_TIME]


def _user(username: str) -> Any:
    from fazhi.core.models import User

    return User.objects.get(username=username)


# --- 平台 ------------------------------------------------------------------------------------------------------
def _token(root: Any) -> Valid:
    """An account with 两步验证 (so that the otp is read), signing in with one of its recovery codes."""
    import pyotp

    from fazhi.core import two_factor

    secret = two_factor.start()
    codes = two_factor.enable(user=root, secret=secret, code=pyotp.TOTP(secret).now(), password=PASSWORD)
    return Valid(body={"username": root.username, "password": PASSWORD, "otp": codes[0]})


def _message_read(root: Any) -> Valid:
    from fazhi.core.services import notify

    msg = notify(recipient=root, title="演示消息", body="请查看。")
    return Valid(path={"message_id": msg.pk})


# --- 法规库 -----------------------------------------------------------------------------------------------------
def _law_status(root: Any) -> Valid:
    from fazhi.laws.models import LawVersion

    version = LawVersion.objects.order_by("pk").first()
    return Valid(
        path={"law_id": version.law_id, "version_id": version.pk},
        body={"status": "已废止", "basis": "", "reason": "经核对已由新文件废止"},
    )


def _law_manual(root: Any) -> Valid:
    from fazhi.laws.services import MAX_TEXT_CHARS

    return Valid(
        body={
            "title": "区财政局演示管理办法",
            "text": "区财政局演示管理办法\n第一条 为规范管理，制定本办法。\n第二条 本办法自发布之日起施行。",
            "level": "部门规章",
            "issuer": "区财政局",
            "region": "",
            "status": "有效",
        },
        limits={("text",): MAX_TEXT_CHARS},
    )


# --- 惠企政策 ---------------------------------------------------------------------------------------------------
PROFILE = {
    "name": "武汉演示科技有限公司",
    "credit_code": "",
    "industry": "industry",
    "industry_section": "C",
    "region": "湖北省武汉市汉阳区",
    "established_on": "2020-05-01",
    "employees": 85,
    "revenue": 6500,
    "total_assets": 3000,
    "tags": ["科技型中小企业"],
}


def _match(root: Any) -> Valid:
    return Valid(
        body={"profile": dict(PROFILE), "limit": 20},
        refused={("profile", "established_on"): [FUTURE_DAY]},
        accepts={("limit",): ["a huge number"]},  # documented: a limit over 100 is cut to 100
    )


def _profile(root: Any) -> Valid:
    return Valid(body=dict(PROFILE), refused={("established_on",): [FUTURE_DAY]})


def _subscribe(root: Any) -> Valid:
    return Valid(body={"themes": ["稳岗就业"], "industries": ["C"], "match_profile": False, "email": True})


def _unsubscribe(root: Any) -> Valid:
    from fazhi.policies.services import subscribe

    sub = subscribe(actor=root, themes=["稳岗就业"])
    return Valid(path={"token": sub.token})


# --- 合法性审查 -------------------------------------------------------------------------------------------------
DRAFT_TEXT = "关于演示的通知\n一、本通知适用于本区。\n二、本通知自印发之日起施行。"


def _draft(state: str) -> Any:
    """A demo draft in this state (起草中 drafting, 审查中 in_review, 已发布 published)."""
    from fazhi.review.models import Draft

    return Draft.objects.filter(title__endswith="（演示）", state=state).order_by("pk").first()


def _fresh_draft(root: Any, *, text: str = DRAFT_TEXT, in_review: bool = False) -> Any:
    """A new draft with one version: the superuser's, or, under review, the demo drafter's, submitted and
    taken up by the superuser (who may not review a draft of their own)."""
    from fazhi.review import services

    drafter = _user("drafter") if in_review else root
    draft = services.create_draft(user=drafter, title="演示送审文稿", doc_type="normative", unit="法规科")
    services.upload_version(user=drafter, draft_id=draft.pk, name="文稿.txt", data=text.encode())
    if in_review:
        services.transition(user=drafter, draft_id=draft.pk, action="submit")
        services.transition(user=root, draft_id=draft.pk, action="start_review")
    return draft


def _create_draft(root: Any) -> Valid:
    return Valid(
        body={
            "title": "关于演示的通知",
            "doc_type": "normative",
            "is_normative": True,
            "is_major": False,
            "unit": "法规科",
            "due_date": _day(10),
            "affects_market": False,
        },
        refused={("due_date",): [LONG_PAST_DAY]},
    )


def _upload(root: Any) -> Valid:
    draft = _fresh_draft(root)
    return Valid(
        path={"draft_id": draft.pk},
        body={"note": "修改稿"},
        files={"file": ("文稿.txt", DRAFT_TEXT.replace("本区", "全区").encode())},
    )


def _transition(root: Any) -> Valid:
    draft = _fresh_draft(root)
    return Valid(
        path={"draft_id": draft.pk},
        body={"action": "submit", "comment": "请审查", "doc_number": "", "signed_by": "", "filed_on": None},
    )


def _correct_number(root: Any) -> Valid:
    draft = _draft("published")
    return Valid(
        path={"draft_id": draft.pk},
        body={
            "doc_number": f"阳财规〔{draft.published_on.year}〕9号",
            "signed_by": "李局长",
            "reason": "文号登记有误",
        },
    )


def _procedure(root: Any) -> Valid:
    draft = _fresh_draft(root)
    return Valid(
        path={"draft_id": draft.pk},
        body={"step": "consultation", "date": _day(0), "summary": "已征求意见"},
        refused={("date",): DAYS},
    )


def _fair_review(root: Any) -> Valid:
    draft = _fresh_draft(root)
    return Valid(
        path={"draft_id": draft.pk},
        body={
            "conclusion": "exception",
            "reviewed_on": _day(0),
            "summary": "经审查适用例外规定",
            "exception_ground": "public_interest",
            "necessity": "为保障困难群众基本生活所必需",
            "alternatives": "无对公平竞争影响更小的替代方案",
            "ends_on": _day(365),
            "end_condition": "",
        },
        refused={("reviewed_on",): DAYS, ("ends_on",): [LONG_PAST_DAY]},
    )


def _library(root: Any) -> Valid:
    from fazhi.review.models import Draft

    draft = _draft("published")
    Draft.objects.filter(pk=draft.pk).update(law_version=None, library_error="载入失败（演示）")
    return Valid(path={"draft_id": draft.pk})


def _validity(root: Any) -> Valid:
    """The published demo document, its validity period (five years) as if it ended in two months."""
    from fazhi.review.models import Draft

    draft = _draft("published")
    Draft.objects.filter(pk=draft.pk).update(valid_until=_today() + dt.timedelta(days=60))
    return Valid(
        path={"draft_id": draft.pk},
        body={
            "outcome": "continue",
            "evaluated_on": _day(0),
            "summary": "经评估继续施行",
            "valid_until": _day(1000),
        },
        refused={("evaluated_on",): DAYS, ("valid_until",): DAYS},
    )


def _finding(root: Any) -> Valid:
    draft = _fresh_draft(root, in_review=True)
    return Valid(
        path={"draft_id": draft.pk},
        body={
            "paragraph": 1,
            "text": "建议明确适用范围。",
            "article_id": None,
            "article_ref": "",
            "precheck_finding_id": None,
        },
    )


def _remove_finding(root: Any) -> Valid:
    from fazhi.review import opinions

    draft = _fresh_draft(root, in_review=True)
    item = opinions.add_finding(user=root, draft_id=draft.pk, paragraph=1, text="建议明确适用范围。")
    return Valid(path={"draft_id": draft.pk, "finding_id": item.pk})


def _conclusion(root: Any) -> Valid:
    draft = _fresh_draft(root, in_review=True)
    return Valid(path={"draft_id": draft.pk}, body={"text": "经审查，建议修改后发布。"})


def _open_precheck(root: Any) -> tuple[Any, Any]:
    """A draft under review with an open automated finding."""
    from fazhi.review.models import PrecheckFinding

    text = "关于演示的通知\n一、申请扶持资金的企业须在本区注册并在本区纳税满三年。\n二、对违反本通知的单位，由区财政局处以罚款。"
    draft = _fresh_draft(root, text=text, in_review=True)
    found = PrecheckFinding.objects.filter(
        version__draft=draft, decision=PrecheckFinding.Decision.OPEN
    ).order_by("pk")
    return draft, found.first()


def _accept_precheck(root: Any) -> Valid:
    draft, found = _open_precheck(root)
    return Valid(path={"draft_id": draft.pk, "finding_id": found.pk})


def _dismiss_precheck(root: Any) -> Valid:
    draft, found = _open_precheck(root)
    return Valid(path={"draft_id": draft.pk, "finding_id": found.pk}, body={"reason": "经人工核对不属于问题"})


def _resolution(root: Any) -> Valid:
    """A finding of the first review, checked in the second."""
    from fazhi.review import opinions, services

    draft = _fresh_draft(root, in_review=True)
    item = opinions.add_finding(user=root, draft_id=draft.pk, paragraph=2, text="建议明确施行日期。")
    services.transition(user=root, draft_id=draft.pk, action="return", comment="请修改")
    drafter = _user("drafter")
    services.upload_version(
        user=drafter, draft_id=draft.pk, name="修改稿.txt", data=DRAFT_TEXT.replace("印发", "发布").encode()
    )
    services.transition(user=drafter, draft_id=draft.pk, action="submit")
    services.transition(user=root, draft_id=draft.pk, action="start_review")
    return Valid(
        path={"draft_id": draft.pk, "finding_id": item.pk}, body={"resolution": "addressed", "note": "已修改"}
    )


def _register(root: Any) -> Valid:
    return Valid(
        body={
            "title": "关于演示登记的通知",
            "unit": "办公室",
            "issued_on": _day(0),
            "doc_type": "other",
            "doc_number": f"阳财办〔{_today().year}〕99号",
            "exempt_reason": "",
            "draft_id": None,
        },
        refused={("issued_on",): DAYS},
    )


def _register_patch(root: Any) -> Valid:
    from fazhi.review.models import IssuedDocument

    entry = IssuedDocument.objects.order_by("pk").first()
    return Valid(path={"entry_id": entry.pk}, body={"unit": "办公室"}, refused={("issued_on",): DAYS})


def _register_import(root: Any) -> Valid:
    from openpyxl import load_workbook

    from fazhi.core import spreadsheets
    from fazhi.review.register import excel

    wb = load_workbook(io.BytesIO(excel.template()))
    wb[excel.SHEET].append(
        [f"阳财办〔{_today().year}〕98号", "关于演示导入的通知", "办公室", _today(), "其他文书", ""]
    )
    return Valid(body={}, files={"file": ("发文登记簿.xlsx", spreadsheets.workbook_bytes(wb))})


# --- 学法考试 ---------------------------------------------------------------------------------------------------
def _demo_exam() -> Any:
    from fazhi.exams.models import Exam

    return Exam.objects.get(title="演示考试")


def _attempt(root: Any) -> tuple[Any, Any]:
    from fazhi.exams.models import Question
    from fazhi.exams.services import attempts

    attempt, _ = attempts.start_attempt(user=root, exam_id=_demo_exam().pk)
    question = Question.objects.get(pk=attempt.question_ids()[0])
    return attempt, question


def _start_attempt(root: Any) -> Valid:
    return Valid(path={"exam_id": _demo_exam().pk})


def _answer(root: Any) -> Valid:
    attempt, question = _attempt(root)
    return Valid(path={"attempt_id": attempt.pk, "question_id": question.pk}, body={"answer": ["A"]})


def _submit(root: Any) -> Valid:
    attempt, _ = _attempt(root)
    return Valid(path={"attempt_id": attempt.pk})


def _questions_import(root: Any) -> Valid:
    rows = [
        {
            "type": "single",
            "stem": "演示：预算年度自公历几月几日起？",
            "options": {"A": "1月1日", "B": "4月1日", "C": "7月1日", "D": "10月1日"},
            "answer": "A",
            "knowledge_points": ["预算法"],
        }
    ]
    return Valid(body={}, files={"file": ("试题.json", json.dumps(rows, ensure_ascii=False).encode())})


def _certificate(root: Any) -> Valid:
    return Valid(
        body={
            "holder_id": None,
            "username": "drafter",
            "number": "演示-发证-0099",
            "issued_on": _day(0),
            "expires_on": None,
            "issuer": "区司法局",
            "note": "",
            "waiver_reason": "经司法局执法资格考试合格",
        },
        refused={("issued_on",): [FUTURE_DAY], ("expires_on",): [LONG_PAST_DAY]},
    )


def _training(root: Any) -> Valid:
    """A 复训 result of a certificate holder: a result may not be recorded for a day still to come."""
    return Valid(
        body={
            "user_id": None,
            "username": "leader",
            "date": _day(-1),
            "hours": 4,
            "topic": "行政执法人员复训",
            "organizer": "区司法局",
            "kind": "retraining",
            "result": "passed",
        },
        refused={("date",): [FUTURE_DAY]},
    )


def _qualification(root: Any) -> Valid:
    return Valid(
        body={
            "user_id": None,
            "username": "drafter",
            "kind": "legal_a",
            "number": "A-20200099",
            "obtained_on": "2020-03-01",
            "expires_on": None,
            "issuer": "司法部",
            "note": "",
        },
        refused={("obtained_on",): [FUTURE_DAY], ("expires_on",): [LONG_PAST_DAY]},
    )


def _qualification_patch(root: Any) -> Valid:
    from fazhi.exams.models import Qualification

    found = Qualification.objects.order_by("pk").first()
    return Valid(
        path={"qualification_id": found.pk},
        body={"issuer": "司法部"},
        refused={("obtained_on",): [FUTURE_DAY], ("expires_on",): [LONG_PAST_DAY]},
    )


# --- 以案释法、普法 ---------------------------------------------------------------------------------------------
def _library_law(root: Any) -> str:
    """The title of a law in the library (the demo has only the published normative document in it)."""
    from fazhi.laws import services

    body = _law_manual(root).body
    return services.add_law_from_text(user=root, text=body["text"], title=body["title"]).law.title


def _case(root: Any) -> Valid:
    law = _library_law(root)
    return Valid(
        body={
            "title": "某单位违规设定供应商资格条件案",
            "category": "procurement",
            "source_issuer": "区财政局",
            "source_doc_number": f"阳财采〔{_today().year}〕5号",
            "source_date": _day(-30),
            "source_url": "https://example.gov.cn/case/1",
            "summary": "采购文件以本地业绩作为加分条件。",
            "facts": "某单位在采购文件中以本地业绩加分。",
            "dispute": "是否构成差别待遇。",
            "decision": "责令改正。",
            "analysis": "违反政府采购法实施条例第二十条。",
            "lessons": "编制采购文件应自查。",
            "tags": "政府采购、差别待遇",
            "articles": [{"law": law, "article": "第一条", "note": ""}],
        },
        refused={("source_date",): [FUTURE_DAY]},
    )


def _case_publish(root: Any) -> Valid:
    from fazhi.cases import services

    case = services.create_case(
        user=root,
        data={"title": "演示案例", "category": "procurement", "summary": "演示", "facts": "演示案情"},
        articles=[],
    )
    return Valid(path={"case_id": case.pk})


def _post(root: Any) -> Valid:
    return Valid(
        body={
            "title": "演示普法文章",
            "kind": "news",
            "summary": "演示摘要",
            "body": "<p>演示正文。</p>",
            "transcript": "",
            "campaign": None,
        }
    )


def _post_publish(root: Any) -> Valid:
    from fazhi.publicity import services

    post = services.save_post(
        user=root, data={"title": "演示普法文章", "kind": "news", "body": "<p>正文</p>"}
    )
    return Valid(path={"post_id": post.pk})


def _responsibility_list(root: Any) -> Valid:
    return Valid(body={"year": _today().year, "department": "法规科", "note": ""})


def _responsibility_item(root: Any) -> Valid:
    from fazhi.publicity.models import ResponsibilityList

    lst = ResponsibilityList.objects.order_by("pk").first()
    return Valid(
        path={"list_id": lst.pk},
        body={
            "law_title": "中华人民共和国预算法",
            "audiences": "预算单位财务人员",
            "planned_activity": "预算法专题讲座",
            "planned_date": f"{lst.year}-12-31",
        },
        refused={("planned_date",): DAYS},  # within the list's year
    )


def _item_status(root: Any) -> Valid:
    from fazhi.publicity.models import ItemStatus, ResponsibilityItem

    item = ResponsibilityItem.objects.filter(status=ItemStatus.PLANNED).order_by("pk").first()
    return Valid(path={"item_id": item.pk}, body={"status": "in_progress"})


def _activity(root: Any) -> Valid:
    return Valid(
        body={
            "title": "预算法进单位讲座",
            "date": _day(-1),
            "place": "区财政局三楼会议室",
            "form": "lecture",
            "audience_count": 40,
            "description": "讲解预算法。",
            "department": "政府采购监督管理科",
            "item": None,
            "campaign": None,
            "mark_done": False,
            "material_links": ["https://example.gov.cn/photo/1"],
        },
        refused={("date",): [FUTURE_DAY]},
    )


# --- 预算绩效 ---------------------------------------------------------------------------------------------------
def _unit() -> Any:
    from fazhi.performance.models import BudgetUnit

    return BudgetUnit.objects.get(code="jyj")


def _perf_project(year: int) -> Any:
    from fazhi.performance.models import Project

    return Project.objects.get(unit=_unit(), year=year)


def _indicators() -> list[dict[str, Any]]:
    """The demo's rows of a 绩效目标表 (产出, 效益 and 满意度)."""
    from fazhi.performance.demo import DEMO_ROWS

    keys = ["level1", "level2", "name", "direction", "target_value", "unit", "weight"]
    return [dict(zip(keys, row, strict=True)) for row in DEMO_ROWS]


def _perf_unit(root: Any) -> Valid:
    return Valid(body={"name": "区卫生健康局", "code": "wjj", "member_usernames": ["drafter"]})


def _perf_create_project(root: Any) -> Valid:
    return Valid(
        body={
            "unit_id": _unit().pk,
            "year": _today().year,
            "code": "JY-2026-09",
            "name": "校园安全设施改造",
            "department": "区教育局",
            "budget_initial": "120",
            "budget_full_year": "120",
            "executed": "0",
        }
    )


def _target(root: Any) -> Valid:
    project = _perf_project(2026)
    return Valid(
        path={"project_id": project.pk},
        body={"annual_goal": "扩大普惠性学前教育资源覆盖面。", "indicators": _indicators()},
        user=_user("drafter"),
        accepts={("indicators", 0, "target_value"): ["a negative number"]},  # a rate of change may fall
    )


def _target_transition(root: Any) -> Valid:
    project = _perf_project(2026)
    return Valid(
        path={"project_id": project.pk}, body={"action": "submit", "comment": ""}, user=_user("drafter")
    )


def _approved_target(root: Any) -> Any:
    """The 2026 demo project with its target approved: the self-evaluation is open."""
    from fazhi.performance import services

    project = _perf_project(2026)
    services.transition(actor=_user("drafter"), project=project, kind="target", action="submit")
    services.transition(
        actor=_user("leader"), project=project, kind="target", action="approve", comment="同意。"
    )
    project.refresh_from_db()
    return project


def _evaluation(root: Any) -> Valid:
    from fazhi.performance.demo import DEMO_ACTUALS

    project = _approved_target(root)
    results = [
        dict(
            zip(["actual_value", "deviation_reason", "improvement"], DEMO_ACTUALS[i.name], strict=True),
            indicator_id=i.pk,
        )
        for i in project.target.indicators.order_by("pk")
    ]
    return Valid(
        path={"project_id": project.pk},
        body={"achievement": "全年目标基本完成。", "executed": "280", "results": results},
        user=_user("drafter"),
        accepts={("results", 0, "actual_value"): ["a negative number"]},  # a rate of change may fall
    )


def _evaluation_transition(root: Any) -> Valid:
    from fazhi.performance import services
    from fazhi.performance.demo import DEMO_ACTUALS

    project = _approved_target(root)
    actuals = {i.pk: services.ActualInput(*DEMO_ACTUALS[i.name]) for i in project.target.indicators.all()}
    services.save_self_evaluation(
        actor=_user("drafter"), project=project, achievement="全年目标基本完成。", actuals=actuals
    )
    return Valid(
        path={"project_id": project.pk}, body={"action": "submit", "comment": ""}, user=_user("drafter")
    )


def _key_evaluation(root: Any) -> Valid:
    return Valid(
        path={"project_id": _perf_project(2025).pk},
        body={
            "score": "88",
            "findings": "资金使用台账不够规范。",
            "recommendations": "统一台账格式。",
            "evaluator": "区财政局",
            "is_final": False,
        },
    )


# The demo's years are fixed (2025 published, 2026 in draft), and so are the days below: all in the past.
def _publication(root: Any) -> Valid:
    return Valid(
        path={"unit_id": _unit().pk, "year": 2026},
        body={"budget_approved_on": "2026-02-10", "note": ""},
        refused={("budget_approved_on",): DAYS},
    )


def _publish(root: Any) -> Valid:
    from fazhi.performance import services

    _approved_target(root)  # something to publish
    services.set_budget_approval(actor=root, unit=_unit(), year=2026, approved_on=dt.date(2026, 2, 10))
    return Valid(
        path={"unit_id": _unit().pk, "year": 2026},
        body={"published_on": "2026-02-20"},
        refused={("published_on",): [FUTURE_DAY, ("a day before the approval", "2026-02-01")]},
    )


def _final_accounts(root: Any) -> Valid:
    from fazhi.performance import services

    year = 2024  # a year the demo has no disclosure of
    services.set_budget_approval(actor=root, unit=_unit(), year=year, approved_on=dt.date(year, 2, 10))
    return Valid(
        path={"unit_id": _unit().pk, "year": year},
        body={"final_accounts_approved_on": f"{year + 1}-07-10"},
        refused={("final_accounts_approved_on",): DAYS},
    )


def _final_accounts_publish(root: Any) -> Valid:
    """The demo's 2025 final accounts, approved on 2026-07-10, taken back to not yet published."""
    from fazhi.performance.models import Publication

    Publication.objects.filter(unit=_unit(), year=2025).update(
        final_accounts_published_on=None, final_accounts_published_by=None
    )
    return Valid(
        path={"unit_id": _unit().pk, "year": 2025},
        body={"published_on": "2026-07-20"},
        refused={("published_on",): [FUTURE_DAY, ("a day before the approval", "2026-07-01")]},
    )


def _congress(root: Any) -> Valid:
    return Valid(
        path={"unit_id": _unit().pk, "year": _today().year},
        body={"submitted_on": _day(-1), "note": "随预算草案报送"},
        refused={("submitted_on",): DAYS},
    )


def _remark(root: Any) -> Valid:
    return Valid(
        body={"unit_id": _unit().pk, "project_id": _perf_project(2025).pk, "body": "请说明偏差原因。"}
    )


# --- 远程异地评标 -----------------------------------------------------------------------------------------------
def _sites() -> list[Any]:
    from fazhi.bidding.demo import SITES
    from fazhi.bidding.models import Site

    return [Site.objects.get(name=name) for name, _region, _prefix in SITES]


def _project_body(code: str = "HYCG-2026-099") -> dict[str, Any]:
    host, jiujiang, xiaogan = _sites()
    start = _at(minutes=2)
    return {
        "code": code,
        "name": "演示设备采购",
        "purchaser": "武汉市汉阳区教育局",
        "agency": "湖北某招标代理有限公司",
        "budget": "1600000",
        "category": "goods",
        "method": "open_tender",
        "evaluation_method": "comprehensive",
        "price_weight": "30",
        "sme_policy": "deduction",
        "sme_deduction_pct": "10",
        "consortium_deduction_pct": "0",
        "bid_bond": "20000",
        "sme_industry": "industry",
        "committee_size": 5,
        "purchaser_rep_count": 0,
        "candidate_count": 3,
        "host_site_id": host.pk,
        "assist_site_ids": [jiujiang.pk, xiaogan.pk],
        "quotas": [
            {"site_id": host.pk, "specialty": "信息技术", "count": 3},
            {"site_id": jiujiang.pk, "specialty": "信息技术", "count": 1},
            {"site_id": xiaogan.pk, "specialty": "信息技术", "count": 1},
        ],
        "criteria": [
            {"name": "技术参数响应", "max_points": "35", "objective": False},
            {"name": "实施与培训方案", "max_points": "20", "objective": False},
            {"name": "企业资质及业绩", "max_points": "15", "objective": True},
        ],
        "evaluation_start": start,
        "names_reveal_at": start,
        "purchaser_username": "",
    }


STAGES = ["drawn", "scored", "signed", "evaluated", "archived", "reported", "confirmed", "contract_signed"]


def _bid_project(root: Any, stage: str, **overrides: Any) -> Any:
    """A new project of the demo's kind, brought through the services up to `stage` (see STAGES); its
    evaluation began an hour ago, as the demo's HYCG-2026-003 did."""
    from fazhi.bidding import services
    from fazhi.bidding.demo import EVALUATED_BIDDERS, score_entries
    from fazhi.bidding.models import Project
    from fazhi.bidding.services.archives import project_sites

    data = {**_project_body("HYCG-2026-098"), "sme_industry": "", **overrides}
    for key in ("evaluation_start", "names_reveal_at"):
        data[key] = dt.datetime.fromisoformat(data[key])
    data["quotas"] = [dict(q) for q in data["quotas"]]
    project = services.create_project(actor=root, **data)
    for name, price, declared, size in EVALUATED_BIDDERS:
        services.add_bidder(
            project=project, actor=root, name=name, bid_price=price, sme_declaration=declared, sme_size=size
        )
    begun = project.evaluation_start - dt.timedelta(hours=1)
    Project.objects.filter(pk=project.pk).update(evaluation_start=begun, names_reveal_at=begun)
    project.refresh_from_db()
    committee = services.draw_committee(project=project, actor=root)
    if STAGES.index(stage) < STAGES.index("scored"):
        return project
    members = list(committee.members.filter(active=True).order_by("seat"))
    for member in members:
        services.save_scores(member=member, actor=member.user, entries=score_entries(project, member))
    if STAGES.index(stage) < STAGES.index("signed"):
        return project
    for member in members:
        services.sign_sheet(member=member, actor=member.user)
    if STAGES.index(stage) < STAGES.index("evaluated"):
        return project
    result = services.finish_evaluation(project=project, actor=root)
    if STAGES.index(stage) < STAGES.index("archived"):
        return project
    for n, site in enumerate(project_sites(project), start=1):
        services.record_av_archive(
            project=project,
            actor=root,
            site_id=site.pk,
            reference=f"音视频存储 AV-{n}",
            started_at=project.evaluation_start - dt.timedelta(minutes=10),
            ended_at=timezone.now(),
        )
    if STAGES.index(stage) < STAGES.index("reported"):
        return project
    services.submit_report(project=project, actor=root)
    if STAGES.index(stage) < STAGES.index("confirmed"):
        return project
    services.confirm_winner(project=project, actor=root, bidder_id=result.lines[0].bidder.pk)
    if STAGES.index(stage) < STAGES.index("contract_signed"):
        return project
    return services.record_contract_signed(project=project, actor=root, signed_on=_today())


def _evaluated_demo() -> Any:
    from fazhi.bidding.demo import EVALUATED_CODE
    from fazhi.bidding.models import Project

    return Project.objects.get(code=EVALUATED_CODE)


def _drawn_demo() -> Any:
    from fazhi.bidding.models import Project

    return Project.objects.get(code="HYCG-2026-001")


def _members(project: Any) -> list[Any]:
    from fazhi.bidding.models import CommitteeMember

    return list(CommitteeMember.objects.filter(committee__project=project, active=True).order_by("seat"))


def _pool_import(root: Any) -> Valid:
    from openpyxl import Workbook

    from fazhi.bidding.models import ExpertPool
    from fazhi.bidding.services.pools import COLUMNS, with_check_digit
    from fazhi.core import spreadsheets

    wb = Workbook()
    ws = wb.active
    ws.append(COLUMNS)
    ws.append(["赵演示", with_check_digit("42010519800101999"), "信息技术", "武汉某大学", "13900000099", ""])
    pool = ExpertPool.objects.order_by("pk").first()
    return Valid(
        path={"pool_id": pool.pk}, body={}, files={"file": ("专家.xlsx", spreadsheets.workbook_bytes(wb))}
    )


def _create_project(root: Any) -> Valid:
    return Valid(
        body=_project_body(),
        refused={("evaluation_start",): [PAST_TIME], ("names_reveal_at",): [PAST_TIME]},
    )


def _bid_bond(root: Any) -> Valid:
    return Valid(path={"project_id": _drawn_demo().pk}, body={"bid_bond": "20000"})


def _bidder(root: Any) -> Valid:
    from fazhi.bidding.models import Project

    project = Project.objects.get(code="HYCG-2026-002")
    return Valid(
        path={"project_id": project.pk},
        body={
            "name": "武汉演示科技有限公司",
            "bid_price": "11000000",
            "credit_code": "",
            "sme_declaration": True,
            "sme_size": "small",
            "participation": "independent",
            "small_share_pct": "0",
            "declared_employees": 85,
            "declared_revenue": "6500",
            "declared_assets": "3000",
        },
    )


def _validity_of_bidder(root: Any) -> Valid:
    from fazhi.bidding.models import Project

    bidder = Project.objects.get(code="HYCG-2026-002").bidders.order_by("pk").first()
    if bidder is None:
        from fazhi.bidding import services

        bidder = services.add_bidder(
            project=Project.objects.get(code="HYCG-2026-002"),
            actor=root,
            name="武汉演示科技有限公司",
            bid_price="11000000",
        )
    return Valid(path={"bidder_id": bidder.pk}, body={"valid": False, "reason": "投标文件未按要求签字盖章"})


def _draw(root: Any) -> Valid:
    from fazhi.bidding import services
    from fazhi.bidding.models import Project

    project = Project.objects.get(code="HYCG-2026-002")
    for name, price in (
        ("武汉演示科技有限公司", "11000000"),
        ("湖北演示信息有限公司", "11500000"),
        ("江西演示设备有限公司", "11800000"),
    ):
        services.add_bidder(project=project, actor=root, name=name, bid_price=price)
    return Valid(path={"project_id": project.pk}, body={"seed": None})


def _replace(root: Any) -> Valid:
    return Valid(
        path={"member_id": _members(_drawn_demo())[0].pk}, body={"reason": "专家因病不能参加", "seed": None}
    )


def _representative(root: Any) -> Valid:
    from fazhi.bidding.models import CommitteeMember

    host, jiujiang, xiaogan = _sites()
    quotas = [
        {"site_id": host.pk, "specialty": "信息技术", "count": 2},
        {"site_id": jiujiang.pk, "specialty": "信息技术", "count": 1},
        {"site_id": xiaogan.pk, "specialty": "信息技术", "count": 1},
    ]
    project = _bid_project(root, "drawn", purchaser_rep_count=1, quotas=quotas)
    seat = CommitteeMember.objects.filter(
        committee__project=project, active=True, expert__isnull=True
    ).first()
    return Valid(path={"member_id": seat.pk}, body={"name": "张代表", "username": "leader"})


def _sheet(root: Any) -> Valid:
    from fazhi.bidding.demo import score_entries

    project = _bid_project(root, "drawn")
    member = _members(project)[0]
    entries = [entry | {"reason": ""} for entry in score_entries(project, member)]
    return Valid(path={"member_id": member.pk}, body={"entries": entries}, user=member.user)


def _sign(root: Any) -> Valid:
    member = _members(_bid_project(root, "scored"))[0]
    return Valid(path={"member_id": member.pk}, user=member.user)


def _finish(root: Any) -> Valid:
    return Valid(path={"project_id": _bid_project(root, "signed").pk})


def _report(root: Any) -> Valid:
    return Valid(path={"project_id": _bid_project(root, "archived").pk})


def _winner(root: Any) -> Valid:
    from fazhi.bidding.services import compute_result

    project = _bid_project(root, "reported")
    first = compute_result(project).lines[0].bidder
    return Valid(path={"project_id": project.pk}, body={"bidder_id": first.pk, "reason": ""})


def _contract_signed(root: Any) -> Valid:
    return Valid(
        path={"project_id": _bid_project(root, "confirmed").pk},
        body={"signed_on": _day(0)},
        refused={("signed_on",): DAYS},
    )


def _contract_published(root: Any) -> Valid:
    return Valid(
        path={"project_id": _bid_project(root, "contract_signed").pk},
        body={"published_on": _day(0)},
        refused={("published_on",): DAYS},
    )


def _contract_correction(root: Any) -> Valid:
    """The demo's contract, as if the winner had been confirmed five days ago and the contract signed and
    published three days ago: corrected to signed four days ago."""
    from fazhi.bidding.models import Project

    project = _evaluated_demo()
    Project.objects.filter(pk=project.pk).update(
        winner_confirmed_at=timezone.now() - dt.timedelta(days=5),
        contract_signed_on=_today() - dt.timedelta(days=3),
        contract_published_on=_today() - dt.timedelta(days=3),
    )
    return Valid(
        path={"project_id": project.pk},
        body={"signed_on": _day(-4), "published_on": None, "reason": "合同签订日期登记有误"},
        refused={("signed_on",): DAYS, ("published_on",): DAYS},
    )


def _incident(root: Any) -> Valid:
    project = _drawn_demo()
    return Valid(
        path={"project_id": project.pk},
        body={
            "site_id": _sites()[1].pk,
            "started_at": _at(minutes=-5),
            "ended_at": None,
            "description": "网络中断",
        },
        refused={("started_at",): [*TIMES, PAST_TIME], ("ended_at",): TIMES},
    )


def _end_incident(root: Any) -> Valid:
    from fazhi.bidding import services

    incident = services.record_incident(
        project=_drawn_demo(),
        actor=root,
        site_id=_sites()[1].pk,
        started_at=timezone.now() - dt.timedelta(minutes=30),
        description="网络中断",
    )
    return Valid(
        path={"incident_id": incident.pk},
        body={"ended_at": _at(minutes=-1)},
        refused={("ended_at",): [*TIMES, PAST_TIME]},
    )


def _reform(root: Any) -> Valid:
    return Valid(path={"project_id": _drawn_demo().pk}, body={"reason": "评标系统故障超过4小时未恢复"})


def _identity(root: Any) -> Valid:
    project = _drawn_demo()
    return Valid(
        path={"project_id": project.pk},
        body={
            "member_id": _members(project)[0].pk,
            "method": "face",
            "result": "passed",
            "note": "",
            "checked_at": None,
        },
        refused={("checked_at",): TIMES},
    )


def _archive(root: Any) -> Valid:
    project = _bid_project(root, "scored")
    return Valid(
        path={"project_id": project.pk},
        body={
            "site_id": _sites()[0].pk,
            "reference": "汉阳交易中心音视频存储 AV-1",
            "started_at": timezone.localtime(project.evaluation_start - dt.timedelta(minutes=10)).isoformat(),
            "ended_at": _at(minutes=-1),
        },
        refused={("started_at",): TIMES, ("ended_at",): TIMES},
    )


def _handover(root: Any) -> Valid:
    project = _evaluated_demo()
    return Valid(
        path={"project_id": project.pk},
        body={"site_id": _sites()[2].pk, "handed_over_on": _day(0), "contents": "评分表原件、音视频存档光盘"},
        refused={("handed_over_on",): DAYS},
    )


def _archive_correction(root: Any) -> Valid:
    project = _evaluated_demo()
    archive = project.av_archives.order_by("pk").first()
    return Valid(
        path={"project_id": project.pk, "archive_id": archive.pk},
        body={
            "reference": archive.reference + "（更正）",
            "started_at": None,
            "ended_at": None,
            "reason": "存档编号登记有误",
        },
        refused={("started_at",): TIMES, ("ended_at",): TIMES},
    )


def _handover_correction(root: Any) -> Valid:
    project = _evaluated_demo()
    handover = project.handovers.order_by("pk").first()
    return Valid(
        path={"project_id": project.pk, "handover_id": handover.pk},
        body={"handed_over_on": None, "contents": "签到表、评分表原件", "reason": "移交内容登记有误"},
        refused={("handed_over_on",): DAYS},
    )


FACTORIES: dict[str, Callable[[Any], Valid]] = {
    "POST /api/v1/auth/token": _token,
    "POST /api/v1/messages/{message_id}/read": _message_read,
    "POST /api/v1/laws/{law_id}/versions/{version_id}/status": _law_status,
    "POST /api/v1/laws/manual": _law_manual,
    "POST /api/v1/policies/match": _match,
    "PUT /api/v1/policies/profile": _profile,
    "POST /api/v1/policies/subscriptions": _subscribe,
    "POST /api/v1/policies/unsubscribe/{token}": _unsubscribe,
    "POST /api/v1/review/drafts": _create_draft,
    "POST /api/v1/review/drafts/{draft_id}/files": _upload,
    "POST /api/v1/review/drafts/{draft_id}/transitions": _transition,
    "POST /api/v1/review/drafts/{draft_id}/correct-number": _correct_number,
    "POST /api/v1/review/drafts/{draft_id}/procedures": _procedure,
    "POST /api/v1/review/drafts/{draft_id}/fair-competition": _fair_review,
    "POST /api/v1/review/drafts/{draft_id}/library": _library,
    "POST /api/v1/review/drafts/{draft_id}/validity-evaluations": _validity,
    "POST /api/v1/review/drafts/{draft_id}/opinion/findings": _finding,
    "DELETE /api/v1/review/drafts/{draft_id}/opinion/findings/{finding_id}": _remove_finding,
    "PUT /api/v1/review/drafts/{draft_id}/opinion/conclusion": _conclusion,
    "POST /api/v1/review/drafts/{draft_id}/precheck-findings/{finding_id}/accept": _accept_precheck,
    "POST /api/v1/review/drafts/{draft_id}/precheck-findings/{finding_id}/dismiss": _dismiss_precheck,
    "POST /api/v1/review/drafts/{draft_id}/findings/{finding_id}/resolution": _resolution,
    "POST /api/v1/review/register": _register,
    "PATCH /api/v1/review/register/{entry_id}": _register_patch,
    "POST /api/v1/review/register/import": _register_import,
    "POST /api/v1/exams/{exam_id}/attempts": _start_attempt,
    "PUT /api/v1/exams/attempts/{attempt_id}/answers/{question_id}": _answer,
    "POST /api/v1/exams/attempts/{attempt_id}/submit": _submit,
    "POST /api/v1/exams/questions/import": _questions_import,
    "POST /api/v1/exams/certificates": _certificate,
    "POST /api/v1/exams/trainings": _training,
    "POST /api/v1/exams/qualifications": _qualification,
    "PATCH /api/v1/exams/qualifications/{qualification_id}": _qualification_patch,
    "POST /api/v1/cases/": _case,
    "POST /api/v1/cases/{case_id}/publish": _case_publish,
    "POST /api/v1/publicity/posts": _post,
    "POST /api/v1/publicity/posts/{post_id}/publish": _post_publish,
    "POST /api/v1/publicity/responsibility/lists": _responsibility_list,
    "POST /api/v1/publicity/responsibility/lists/{list_id}/items": _responsibility_item,
    "POST /api/v1/publicity/responsibility/items/{item_id}/status": _item_status,
    "POST /api/v1/publicity/activities": _activity,
    "POST /api/v1/performance/units": _perf_unit,
    "POST /api/v1/performance/projects": _perf_create_project,
    "PUT /api/v1/performance/projects/{project_id}/target": _target,
    "POST /api/v1/performance/projects/{project_id}/target/transition": _target_transition,
    "PUT /api/v1/performance/projects/{project_id}/evaluation": _evaluation,
    "POST /api/v1/performance/projects/{project_id}/evaluation/transition": _evaluation_transition,
    "POST /api/v1/performance/projects/{project_id}/key-evaluations": _key_evaluation,
    "PUT /api/v1/performance/publications/{unit_id}/{year}": _publication,
    "POST /api/v1/performance/publications/{unit_id}/{year}/publish": _publish,
    "PUT /api/v1/performance/publications/{unit_id}/{year}/final-accounts": _final_accounts,
    "POST /api/v1/performance/publications/{unit_id}/{year}/final-accounts/publish": _final_accounts_publish,
    "PUT /api/v1/performance/congress-submissions/{unit_id}/{year}": _congress,
    "POST /api/v1/performance/remarks": _remark,
    "POST /api/v1/bidding/pools/{pool_id}/import": _pool_import,
    "POST /api/v1/bidding/projects": _create_project,
    "PUT /api/v1/bidding/projects/{project_id}/bid-bond": _bid_bond,
    "POST /api/v1/bidding/projects/{project_id}/bidders": _bidder,
    "POST /api/v1/bidding/bidders/{bidder_id}/validity": _validity_of_bidder,
    "POST /api/v1/bidding/projects/{project_id}/draw": _draw,
    "POST /api/v1/bidding/members/{member_id}/replace": _replace,
    "POST /api/v1/bidding/members/{member_id}/representative": _representative,
    "PUT /api/v1/bidding/members/{member_id}/sheet": _sheet,
    "POST /api/v1/bidding/members/{member_id}/sign": _sign,
    "POST /api/v1/bidding/projects/{project_id}/finish": _finish,
    "POST /api/v1/bidding/projects/{project_id}/report/submit": _report,
    "POST /api/v1/bidding/projects/{project_id}/winner": _winner,
    "POST /api/v1/bidding/projects/{project_id}/contract/signed": _contract_signed,
    "POST /api/v1/bidding/projects/{project_id}/contract/published": _contract_published,
    "POST /api/v1/bidding/projects/{project_id}/contract/corrections": _contract_correction,
    "POST /api/v1/bidding/projects/{project_id}/incidents": _incident,
    "POST /api/v1/bidding/incidents/{incident_id}/end": _end_incident,
    "POST /api/v1/bidding/projects/{project_id}/reform": _reform,
    "POST /api/v1/bidding/projects/{project_id}/identity-checks": _identity,
    "POST /api/v1/bidding/projects/{project_id}/archives": _archive,
    "POST /api/v1/bidding/projects/{project_id}/handovers": _handover,
    "POST /api/v1/bidding/projects/{project_id}/archives/{archive_id}/corrections": _archive_correction,
    "POST /api/v1/bidding/projects/{project_id}/handovers/{handover_id}/corrections": _handover_correction,
}
