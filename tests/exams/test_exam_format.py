"""执法资格考试规则: a published certification exam has the rule's format (100 points, pass 60, 120 minutes,
25 single + 10 multiple + 15 true/false × 2 points by default); every difference is named; drafts and other
exams are free; the administrator corrects the rule and can start a new certification exam from it."""

from __future__ import annotations

import datetime as dt
import importlib
import json
from decimal import Decimal

import pytest
from django.apps import apps
from django.utils import timezone

from fazhi.core.errors import ValidationFailed
from fazhi.exams.models import CertificationExamRule, Exam
from fazhi.exams.services import attempts, exam_format

from .conftest import certification_exam
from .test_admin import _exam_post

pytestmark = pytest.mark.django_db

# 50 points: 20 single and 5 multiple questions, no true/false.
HALF_PAPER = [
    {"type": "single", "knowledge_point": "", "count": 20, "points": 2},
    {"type": "multiple", "knowledge_point": "", "count": 5, "points": 2},
]


def _create(stage: str, **kw) -> Exam:
    now = timezone.now()
    settings = {"blueprint": HALF_PAPER, "pass_mark": 30, "time_limit_minutes": 90} | kw
    return attempts.create_exam(
        title="2026年财政专业法律知识考试", opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=1), certification_stage=stage, **settings,
    )  # fmt: skip


def _rule_row() -> CertificationExamRule:
    """The row the migration created (a transactional test elsewhere may have flushed it: then made again)."""
    return CertificationExamRule.objects.get_or_create(key="default")[0]


def _rule_post(**changes) -> dict[str, str]:
    data = {
        "pass_mark": "60", "time_limit_minutes": "120", "single_count": "25", "single_points": "2",
        "multiple_count": "10", "multiple_points": "2", "judge_count": "15", "judge_points": "2",
        "case_count": "0", "case_points": "0", "source": "区司法局执法资格考试办法（2026）第八条", "note": "",
    }  # fmt: skip
    return data | changes


def test_the_shipped_rule_is_the_one_in_domain_md_and_names_its_source():
    rule = exam_format.certification_exam_rule()
    assert (rule.total_points, rule.pass_mark, rule.time_limit_minutes, rule.question_count) == (
        100,
        60,
        120,
        50,
    )
    assert [(t, c, p) for t, _label, c, p in rule.rows()] == [
        ("single", 25, 2), ("multiple", 10, 2), ("judge", 15, 2), ("case", 0, 0),
    ]  # fmt: skip
    assert rule.source.startswith("示例格式（100 分、60 分及格") and "核对后修改" in rule.source
    # The migration puts the row in the admin (once), with the same values.
    seed = importlib.import_module("fazhi.exams.migrations.0006_certification_exam_rule_qualifications").seed
    seed(apps, None)
    seed(apps, None)
    assert CertificationExamRule.objects.get().total_points == 100


MIGRATION_0007 = "fazhi.exams.migrations.0007_certification_exam_rule_source_text"


def test_the_basis_names_no_internal_file_and_the_old_default_is_replaced_once():
    migration = importlib.import_module(MIGRATION_0007)
    rule = CertificationExamRule.objects.get(key="default")  # seeded by 0006, updated by 0007
    assert rule.source == migration.NEW_SOURCE == CertificationExamRule().source
    assert "docs/" not in rule.source and "DOMAIN" not in rule.source

    CertificationExamRule.objects.update(source=migration.OLD_SOURCE)
    migration.replace_default_source(apps, None)
    assert CertificationExamRule.objects.get().source == migration.NEW_SOURCE
    migration.restore_default_source(apps, None)
    assert CertificationExamRule.objects.get().source == migration.OLD_SOURCE

    # A basis the administrator wrote is theirs: the migration leaves it alone.
    CertificationExamRule.objects.update(source="区司法局执法资格考试办法（2026）第八条")
    migration.replace_default_source(apps, None)
    assert CertificationExamRule.objects.get().source == "区司法局执法资格考试办法（2026）第八条"


def test_a_certification_exam_of_another_format_is_refused_with_every_difference(question_bank):
    with pytest.raises(ValidationFailed) as refused:
        _create("specialised")
    assert refused.value.message.startswith(
        "专业法律知识考试须符合执法资格考试规则：总分应为100分，当前为50分；及格分应为60分，当前为30分；"
        "考试时长应为120分钟，当前为90分钟；单选题应为25题，当前为20题；多选题应为10题，当前为5题；"
        "判断题应为15题，当前为0题。请按规则修改后发布，或先保存为未发布（规则依据：示例格式（100 分、60 分及格、"
    )
    assert not Exam.objects.exists()


def test_points_per_question_and_extra_question_types_are_differences_too():
    rows = [
        {"type": "single", "count": 25, "points": "1.5"},
        {"type": "single", "knowledge_point": "预算法", "count": 1, "points": 2},
        {"type": "multiple", "count": 10, "points": 2},
        {"type": "judge", "count": 15, "points": 2},
        {"type": "case", "count": 1, "points": "10.5"},
    ]
    found = exam_format.format_differences(rows=rows, pass_mark=60, time_limit_minutes=120)
    assert found == [
        "单选题应为25题，当前为26题",
        "单选题每题应为2分，当前为1.5分、2分",
        "案例分析题应为0题，当前为1题",
    ]


def test_other_exams_and_unpublished_drafts_keep_any_format(question_bank):
    assert _create("").certification_stage == ""
    draft = _create("general", is_published=False)
    assert draft.certification_stage == "general" and draft.is_published is False


def test_a_certification_exam_in_the_rules_format_is_published(certification_bank):
    exam = certification_exam("2026年公共法律知识考试", "general")
    assert (exam.total_points, exam.pass_mark, exam.time_limit_minutes, exam.question_count) == (
        100,
        60,
        120,
        50,
    )
    assert exam.is_published


def test_the_admin_refuses_to_publish_a_draft_of_another_format(question_bank, examadmin, login):
    draft = _create("specialised", is_published=False)
    c = login(examadmin)
    data = _exam_post(
        title=draft.title, certification_stage="specialised", blueprint=json.dumps(HALF_PAPER), pass_mark="30",
        time_limit_minutes="90",
    )  # fmt: skip
    r = c.post(f"/admin/exams/exam/{draft.pk}/change/", data)
    assert r.status_code == 200
    html = r.content.decode()
    assert "总分应为100分，当前为50分" in html and "单选题应为25题，当前为20题" in html
    draft.refresh_from_db()
    assert draft.is_published is False
    # Saved as a draft (不发布), the same format is accepted.
    del data["is_published"]
    assert c.post(f"/admin/exams/exam/{draft.pk}/change/", data).status_code == 302


def test_an_exam_published_before_the_rule_stays_editable_until_its_format_changes(
    question_bank, examadmin, login
):
    now = timezone.localtime()
    old = Exam.objects.create(
        title="2025年专业法律知识考试", blueprint=attempts.papers.validate_blueprint(HALF_PAPER), pass_mark=30,
        time_limit_minutes=90, opens_at=now + dt.timedelta(days=1), closes_at=now + dt.timedelta(days=2),
        certification_stage="specialised",
    )  # fmt: skip
    c = login(examadmin)
    data = _exam_post(
        title="2025年专业法律知识考试（延期）", certification_stage="specialised", blueprint=json.dumps(HALF_PAPER),
        pass_mark="30", time_limit_minutes="90",
    )  # fmt: skip
    assert c.post(f"/admin/exams/exam/{old.pk}/change/", data).status_code == 302
    old.refresh_from_db()
    assert old.title == "2025年专业法律知识考试（延期）"
    refused = c.post(f"/admin/exams/exam/{old.pk}/change/", data | {"time_limit_minutes": "100"})
    assert refused.status_code == 200 and "考试时长应为120分钟，当前为100分钟" in refused.content.decode()
    old.refresh_from_db()
    assert old.time_limit_minutes == 90


def test_the_add_page_prefills_a_certification_exam_from_the_rule(examadmin, login):
    c = login(examadmin)
    plain = c.get("/admin/exams/exam/add/").content.decode()
    assert "?certification_stage=specialised" in plain and "?certification_stage=general" in plain
    page = c.get("/admin/exams/exam/add/?certification_stage=specialised").content.decode()
    assert "已按执法资格考试规则预填组卷规则、及格分和考试时长" in page
    assert "&quot;count&quot;: 25" in page and 'value="60' in page and 'value="120"' in page
    assert exam_format.rule_blueprint() == [
        {"type": "single", "knowledge_point": "", "count": 25, "points": "2.00"},
        {"type": "multiple", "knowledge_point": "", "count": 10, "points": "2.00"},
        {"type": "judge", "knowledge_point": "", "count": 15, "points": "2.00"},
    ]


def test_the_administrator_corrects_the_rule_and_new_exams_follow_it(certification_bank, examadmin, login):
    c = login(examadmin)
    rule = _rule_row()
    assert c.get("/admin/exams/certificationexamrule/add/").status_code == 403  # one row only
    # 30 single × 1 point + 10 multiple × 4 + 15 true/false × 2 = 100.
    r = c.post(
        f"/admin/exams/certificationexamrule/{rule.pk}/change/",
        _rule_post(single_count="30", single_points="1", multiple_points="4"),
    )
    assert r.status_code == 302
    assert exam_format.certification_exam_rule().source == "区司法局执法资格考试办法（2026）第八条"
    with pytest.raises(
        ValidationFailed,
        match="单选题应为30题，当前为25题；单选题每题应为1分，当前为2分；多选题每题应为4分，当前为2分。",
    ):
        _create("specialised", blueprint=[
            {"type": "single", "count": 25, "points": 2}, {"type": "multiple", "count": 10, "points": 2},
            {"type": "judge", "count": 15, "points": 2},
        ], pass_mark=60, time_limit_minutes=120)  # fmt: skip
    exam = certification_exam("2026年财政专业法律知识考试", "specialised")
    assert exam.question_count == 55 and exam.total_points == 100


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"pass_mark": "120"}, "及格分 120 应大于 0 且不超过总分 100"),
        (
            {"single_count": "0", "multiple_count": "0", "judge_count": "0"},
            "至少要有一种题型的题目数量大于 0",
        ),
        ({"case_count": "2"}, "案例分析题有 2 题，每题分值应大于 0 且不超过 100 分"),
        ({"time_limit_minutes": "2000"}, "考试时长应在 1 到 1440 分钟之间"),
    ],
)
def test_an_unsound_rule_is_refused_and_nothing_changes(examadmin, login, changes, message):
    rule = _rule_row()
    r = login(examadmin).post(f"/admin/exams/certificationexamrule/{rule.pk}/change/", _rule_post(**changes))
    assert r.status_code == 200 and message in r.content.decode()
    rule.refresh_from_db()
    assert (rule.pass_mark, rule.single_count, rule.case_count) == (Decimal("60"), 25, 0)


def test_only_exam_administrators_see_or_change_the_rule(
    reviewer, director, enterprise, outsider, login, client
):
    rule = _rule_row()
    url = f"/admin/exams/certificationexamrule/{rule.pk}/change/"
    for user in (reviewer, director):
        assert login(user).get(url).status_code == 403
        assert login(user).post(url, _rule_post(pass_mark="1")).status_code == 403
    for user in (enterprise, outsider):  # not staff at all: the admin login page
        r = login(user).get(url)
        assert r.status_code == 302 and "/admin/login/" in r.url
    assert client.get(url).status_code == 302
    rule.refresh_from_db()
    assert rule.pass_mark == 60


def test_the_rule_is_never_deleted(examadmin, login):
    rule = _rule_row()
    r = login(examadmin).post(f"/admin/exams/certificationexamrule/{rule.pk}/delete/", {"post": "yes"})
    assert r.status_code == 403 and CertificationExamRule.objects.filter(pk=rule.pk).exists()


def test_the_certificate_rule_basis_names_no_internal_file_either():
    from fazhi.exams.models import CertificateRule

    migration = importlib.import_module("fazhi.exams.migrations.0008_certificate_rule_source_text")
    assert CertificateRule().source == migration.NEW_SOURCE and "DOMAIN" not in migration.NEW_SOURCE
    CertificateRule.objects.update_or_create(key="default", defaults={"source": migration.OLD_SOURCE})
    migration.replace_default_source(apps, None)
    assert CertificateRule.objects.get().source == migration.NEW_SOURCE
    CertificateRule.objects.update(source="省司法厅行政执法证件管理办法第十二条")
    migration.replace_default_source(apps, None)
    assert CertificateRule.objects.get().source == "省司法厅行政执法证件管理办法第十二条"
