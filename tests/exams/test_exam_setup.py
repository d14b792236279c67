"""考试设置 pages: the exam administrator creates and edits an exam with its blueprint as a form, publishes
it and closes it early; every refusal is in Chinese, keeps what was typed and changes nothing."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from fazhi.core.models import AuditEvent
from fazhi.exams.models import Attempt, Exam
from fazhi.exams.services import attempts

pytestmark = pytest.mark.django_db
FMT = "%Y-%m-%dT%H:%M"


def when(**delta) -> str:
    return timezone.localtime(timezone.now() + dt.timedelta(**delta)).strftime(FMT)


def form(**changes) -> dict:
    """A valid new exam: 4 行政处罚 single × 2 + 3 judge × 2 = 14 points."""
    data = {
        "title": "财政执法知识测试", "description": "", "certification_stage": "", "prerequisite": "",
        "partial_credit": "half", "time_limit_minutes": "30", "pass_mark": "8", "total_points": "14",
        "opens_at": when(hours=-1), "closes_at": when(days=2), "open_to_staff": "1", "candidates": "",
        "row_count": "3",
        "row-0-type": "single", "row-0-knowledge_point": "行政处罚", "row-0-count": "4", "row-0-points": "2",
        "row-1-type": "judge", "row-1-knowledge_point": "", "row-1-count": "3", "row-1-points": "2",
        "row-2-type": "single", "row-2-knowledge_point": "", "row-2-count": "", "row-2-points": "",
        "action": "save",
    }  # fmt: skip
    data.update(changes)
    return data


def test_an_outsider_and_a_candidate_are_refused_every_setup_page(exam, outsider, candidate, login, client):
    for user in (outsider, candidate):
        c = login(user)
        assert c.get("/exams/manage/new/").status_code == 403
        assert c.post("/exams/manage/new/", form()).status_code == 403
        assert c.get(f"/exams/manage/{exam.pk}/edit/").status_code == 403
        assert c.post("/exams/manage/blueprint/", form()).status_code == 403
        assert c.post(f"/exams/manage/{exam.pk}/close").status_code == 403
    assert client.get("/exams/manage/new/").status_code == 302  # to the login page
    assert Exam.objects.count() == 1 and Exam.objects.get().closes_at > timezone.now()


def test_the_exam_administrator_creates_a_draft_from_the_form(question_bank, examadmin, login):
    c = login(examadmin)
    page = c.get("/exams/manage/new/").content.decode()
    assert "组卷规则" in page and "题库可用" in page and "全体工作人员可参加" in page
    r = c.post("/exams/manage/new/", form())
    assert r.status_code == 302
    exam = Exam.objects.get()
    assert (exam.title, exam.is_published, exam.total_points, exam.pass_mark) == (
        "财政执法知识测试",
        False,
        14,
        8,
    )
    assert exam.blueprint == [
        {"type": "single", "knowledge_point": "行政处罚", "count": 4, "points": "2.00"},
        {"type": "judge", "knowledge_point": "", "count": 3, "points": "2.00"},
    ]
    assert exam.created_by == examadmin
    listing = c.get("/exams/manage/").content.decode()
    assert "财政执法知识测试" in listing and "未发布" in listing and "data-confirm" in listing


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": " "}, "请填写考试名称"),
        ({"total_points": "20"}, "各行分值合计 14 分（数量 × 每题分值），与填写的总分 20 分不一致"),
        ({"row-0-count": "11", "total_points": "28"}, "第1行需要知识点“行政处罚”的单选题 11 道，题库只有 10 道可用"),
        ({"closes_at": when(hours=-2)}, "截止时间必须晚于开放时间"),
        ({"pass_mark": "15"}, "及格分 15 应大于 0 且不超过总分 14"),
        ({"pass_mark": "abc"}, "及格分“abc”不是有效的数字"),
        ({"opens_at": "明天"}, "请按“年-月-日 时:分”填写开放时间"),
        ({"open_to_staff": "", "candidates": ""}, "请选择“全体工作人员可参加”或指定考生名单"),
        ({"candidates": "nobody_here"}, "找不到账号（或已停用）：nobody_here"),
        ({"row-0-type": "essay"}, "题型“essay”无效"),
        ({"row-0-points": "NaN"}, "每题分值“NaN”不是有效的数字"),
        ({"row-0-points": "sNaN"}, "每题分值“sNaN”不是有效的数字"),
        ({"row-0-points": "-Infinity"}, "每题分值“-Infinity”不是有效的数字"),
        ({"row_count": "3", "row-0-count": "", "row-0-points": "", "row-1-count": "", "row-1-points": ""},
         "组卷规则不能为空"),
    ],
)  # fmt: skip
def test_bad_input_is_refused_in_chinese_keeps_what_was_typed_and_saves_nothing(
    question_bank, examadmin, login, changes, message
):
    r = login(examadmin).post("/exams/manage/new/", form(**changes))
    page = r.content.decode()
    assert r.status_code in (400, 409) and message in page and "未保存任何内容" in page
    assert 'value="财政执法知识测试"' in page or changes.get("title") == " "
    assert Exam.objects.count() == 0


def test_the_blueprint_preview_shows_each_rows_bank_count_and_the_running_total(
    question_bank, examadmin, login
):
    r = login(examadmin).post("/exams/manage/blueprint/", form(total_points="20"), HTTP_HX_REQUEST="true")
    page = r.content.decode()
    assert 'id="avail-0" hx-swap-oob="true">10 道' in page  # 行政处罚 single questions
    assert 'id="avail-1" hx-swap-oob="true">8 道' in page  # judge questions
    assert "各行合计 <strong>14</strong> 分" in page and "不一致" in page
    short = login(examadmin).post("/exams/manage/blueprint/", form(**{"row-0-count": "12"})).content.decode()
    assert "10 道（不够）" in short


@pytest.mark.parametrize("points", ["1e999999999", "NaN", "sNaN", "-1e999999999"])
def test_the_blueprint_preview_survives_numbers_decimal_cannot_use(question_bank, examadmin, login, points):
    r = login(examadmin).post(
        "/exams/manage/blueprint/", form(**{"row-0-points": points}), HTTP_HX_REQUEST="true"
    )
    assert r.status_code == 200  # was a 500 (Decimal overflow / invalid operation)
    assert "各行合计" in r.content.decode()


def test_enter_in_a_field_saves_rather_than_adding_a_row(examadmin, login):
    """Enter submits a form with its first submit button: it must be 保存, not 添加一行."""
    page = login(examadmin).get("/exams/manage/new/").content.decode()
    form_html = page[page.index('<form method="post" class="form"') :]
    first = re.search(r"<button[^>]*type=\"submit\"[^>]*>", form_html)
    assert first is not None and 'value="save"' in first.group(0)


def test_add_row_keeps_the_input_and_saves_nothing(question_bank, examadmin, login):
    r = login(examadmin).post("/exams/manage/new/", form(action="add_row", title="草稿"))
    page = r.content.decode()
    assert r.status_code == 200 and 'value="草稿"' in page and 'name="row-4-count"' in page
    assert Exam.objects.count() == 0


def test_a_certification_exam_is_prefilled_from_the_rule_and_publishing_checks_its_format(
    certification_bank, examadmin, login
):
    c = login(examadmin)
    page = c.get("/exams/manage/new/?certification_stage=specialised").content.decode()
    assert 'value="100"' in page and 'name="row-2-count"' in page
    c.post("/exams/manage/new/", form(certification_stage="specialised"))
    exam = Exam.objects.get()  # a draft may have any format
    r = c.post(f"/exams/manage/{exam.pk}/publish", follow=True)
    assert "须符合执法资格考试规则" in r.content.decode()
    exam.refresh_from_db()
    assert not exam.is_published


def test_publish_withdraw_and_close_early(question_bank, examadmin, candidate, login):
    c = login(examadmin)
    c.post("/exams/manage/new/", form())
    exam = Exam.objects.get()
    c.post(f"/exams/manage/{exam.pk}/publish")
    exam.refresh_from_db()
    assert exam.is_published
    c.post(f"/exams/manage/{exam.pk}/withdraw")
    exam.refresh_from_db()
    assert not exam.is_published
    c.post(f"/exams/manage/{exam.pk}/publish")
    attempt, _ = attempts.start_attempt(user=candidate, exam_id=exam.pk)
    refused = c.post(f"/exams/manage/{exam.pk}/withdraw", follow=True).content.decode()
    assert "已有考生开考，不能撤回发布" in refused
    c.post(f"/exams/manage/{exam.pk}/close")
    exam.refresh_from_db()
    assert exam.closes_at <= timezone.now() and exam.is_published
    attempt.refresh_from_db()
    assert attempt.deadline > timezone.now()  # the candidate answering keeps the time given at the start
    comments = set(AuditEvent.objects.filter(object_id=str(exam.pk)).values_list("comment", flat=True))
    assert {"发布考试", "撤回发布", "提前截止"} <= comments


def test_editing_an_exam_nobody_has_started_changes_everything(question_bank, examadmin, login):
    c = login(examadmin)
    c.post("/exams/manage/new/", form())
    exam = Exam.objects.get()
    page = c.get(f"/exams/manage/{exam.pk}/edit/").content.decode()
    assert 'value="财政执法知识测试"' in page and 'value="14"' in page
    r = c.post(f"/exams/manage/{exam.pk}/edit/", form(title="改名", pass_mark="10", **{"row-1-count": "5"},
                                                     total_points="18"))  # fmt: skip
    assert r.status_code == 302
    exam.refresh_from_db()
    assert (exam.title, exam.pass_mark, exam.total_points) == ("改名", 10, 18)


def test_once_a_candidate_has_started_only_title_description_closing_time_and_more_candidates_change(
    exam, examadmin, candidate, candidate2, login
):
    attempts.start_attempt(user=candidate, exam_id=exam.pk)
    before = Exam.objects.get(pk=exam.pk)
    c = login(examadmin)
    page = c.get(f"/exams/manage/{exam.pk}/edit/").content.decode()
    assert "已有 1 人开考" in page and "不能再修改" in page
    # The locked fields are shown disabled, so the browser sends only the others.
    sent = {"title": "行政执法资格考试（补考）", "description": "", "closes_at": when(days=3),
            "open_to_staff": "1", "candidates": "cand_b", "action": "save"}  # fmt: skip
    assert c.post(f"/exams/manage/{exam.pk}/edit/", sent).status_code == 302
    exam.refresh_from_db()
    assert exam.title == "行政执法资格考试（补考）" and list(exam.eligible_users.all()) == [candidate2]
    assert (exam.blueprint, exam.pass_mark, exam.opens_at) == (
        before.blueprint,
        before.pass_mark,
        before.opens_at,
    )

    for changes, message in [
        ({"pass_mark": "30"}, "不能再修改及格分"),
        ({"time_limit_minutes": "90"}, "不能再修改考试时长"),
        ({"closes_at": when(minutes=-5)}, "截止时间不能改到现在或更早"),
        ({"open_to_staff": "", "candidates": "cand_b"}, "考生甲（cand_a）已经开考，不能从考生范围中移除"),
    ]:
        r = c.post(f"/exams/manage/{exam.pk}/edit/", {**sent, "title": "不应保存", **changes})
        assert r.status_code == 409 and message in r.content.decode(), changes
        assert Exam.objects.get(pk=exam.pk).title == "行政执法资格考试（补考）"
    assert Attempt.objects.count() == 1


def test_the_exams_page_links_the_administrator_to_exam_setup(examadmin, candidate, login):
    assert "/exams/manage/" in login(examadmin).get("/exams/").content.decode()
    assert "/exams/manage/" not in login(candidate).get("/exams/").content.decode()
