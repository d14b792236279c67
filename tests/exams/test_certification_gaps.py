"""应考尽考: the staff in enforcement posts without a valid certificate, with their certification exams.

The registry below is a table; every expected number is computed from the table in the test, not read
from the service under test.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from fazhi.core.services import ensure_user
from fazhi.exams import selectors
from fazhi.exams.models import Attempt, EnforcementCertificate, Exam, StaffProfile
from fazhi.exams.services import certificates, gaps, retraining

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 30)
VALID = (dt.date(2025, 1, 1), dt.date(2027, 12, 31))
EXPIRED = (dt.date(2024, 1, 1), dt.date(2026, 3, 31))

# name, department, enforcement post, in post, certificate, specialised attempts, general attempts
# (attempts: "P" passed, "F" failed, "-" started but not handed in; in order of time).
PEOPLE = [
    ("v1", "法规科", True, True, "valid", "P", "P"),
    ("x2", "法规科", True, True, "expired", "P", "F"),
    ("n3", "法规科", True, True, None, "", ""),
    ("s4", "法规科", True, True, "suspended", "P", "P"),
    ("b5", "采购科", True, True, None, "P", "P"),
    ("f6", "采购科", True, True, None, "F", ""),
    ("r7", "采购科", True, True, None, "FP", "F-"),
    ("o8", "办公室", False, True, None, "", ""),  # not an enforcement post
    ("i9", "法规科", True, False, None, "", ""),  # no longer in post
]


def _at(day: int, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2026, 5, day, hour))


def _attempt(exam: Exam, user, outcome: str, day: int) -> Attempt:
    handed_in = outcome in "PF"
    return Attempt.objects.create(
        exam=exam,
        user=user,
        seed=day,
        paper=[],
        total_points=100,
        started_at=_at(day),
        deadline=_at(day, 12),
        submitted_at=_at(day, 11) if handed_in else None,
        score=(80 if outcome == "P" else 40) if handed_in else None,
        passed=(outcome == "P") if handed_in else None,
    )


@pytest.fixture
def registry(db, examadmin):
    opens, closes = _at(1, 0), _at(28, 0)
    specialised = [
        Exam.objects.create(
            title=f"财政专业法律知识考试第{i}场",
            blueprint=[],
            opens_at=opens,
            closes_at=closes,
            certification_stage="specialised",
        )  # fmt: skip
        for i in (1, 2)
    ]
    general = [
        Exam.objects.create(
            title=f"公共法律知识考试第{i}场",
            blueprint=[],
            opens_at=opens,
            closes_at=closes,
            certification_stage="general",
        )  # fmt: skip
        for i in (1, 2)
    ]
    other = Exam.objects.create(title="学法练习考试", blueprint=[], opens_at=opens, closes_at=closes)
    users = {}
    for name, dept, enforcement, active, cert, spec, gen in PEOPLE:
        user = ensure_user(
            username=name, display_name=f"人员{name}", role_names=["工作人员"], password="x-pass-2026"
        )
        users[name] = user
        StaffProfile.objects.create(
            user=user, department=dept, post="执法岗", enforcement_post=enforcement, is_active=active
        )
        if cert:
            issued, expires = EXPIRED if cert == "expired" else VALID
            EnforcementCertificate.objects.create(
                holder=user, number=f"ZF-{name}", issued_on=issued, expires_on=expires
            )
        for i, outcome in enumerate(spec):
            _attempt(specialised[i], user, outcome, day=2 + i)
        for i, outcome in enumerate(gen):
            _attempt(general[i], user, outcome, day=10 + i)
        _attempt(other, user, "F", day=1)  # not a certification exam: never counted
    retraining.record_training(
        user=users["s4"], date=dt.date(2026, 6, 1), hours=8, topic="年度执法人员复训",
        kind="retraining", result="failed", by=examadmin, today=TODAY,
    )  # fmt: skip
    return users


def _expected(department: str = "") -> list[str]:
    """From the table: enforcement posts, in post, without a valid certificate (expired or suspended count out)."""
    return [
        name
        for name, dept, enforcement, active, cert, _spec, _gen in PEOPLE
        if enforcement and active and cert != "valid" and department in ("", dept)
    ]


def test_the_list_is_the_enforcement_staff_without_a_valid_certificate(registry):
    found = gaps.certification_gaps(on=TODAY)
    assert [g.profile.user.username for g in found.people] == sorted(
        _expected(), key=lambda n: (dict((p[0], p[1]) for p in PEOPLE)[n], n)
    )
    in_posts = [p for p in PEOPLE if p[2] and p[3]]
    assert found.enforcement_staff == len(in_posts) == 7
    # The list and 执法人员占比 agree: the uncertified are the staff minus the certified.
    _rows, total = certificates.certified_share(TODAY)
    assert total.enforcement_staff - total.certified == len(found.people) == 6


def test_each_person_shows_the_exams_sat_and_passed_and_the_next_step(registry):
    found = {g.profile.user.username: g for g in gaps.certification_gaps(on=TODAY).people}
    for name, _dept, _e, _a, _cert, spec, gen in PEOPLE:
        if name not in found:
            continue
        g = found[name]
        assert (g.specialised.sat, g.specialised.passed) == (
            spec.count("P") + spec.count("F"),
            spec.count("P"),
        )
        assert (g.general.sat, g.general.passed) == (gen.count("P") + gen.count("F"), gen.count("P"))
    assert {n: g.next_step for n, g in found.items()} == {
        "x2": "general",  # passed the specialised exam, failed the general one
        "n3": "specialised",
        "s4": "suspended",
        "b5": "certificate",
        "f6": "specialised",
        "r7": "general",
    }
    assert (
        found["n3"].specialised.label == "未参加" and found["f6"].specialised.label == "未通过（参加 1 次）"
    )
    assert (found["x2"].certificate_state, found["x2"].certificate_detail) == (
        "已过期",
        "执法证 ZF-x2，有效期至 2026-03-31",
    )
    assert found["s4"].certificate_state == "暂扣" and "自 2026-06-01 起" in found["s4"].certificate_detail
    assert found["n3"].certificate_state == "无执法证"
    # The last attempt is at a certification exam (the practice exam on 1 May never counts), in progress here.
    last = found["r7"].last_attempt
    assert last is not None and last.exam.title == "公共法律知识考试第2场" and last.submitted_at is None
    assert gaps.attempt_summary(last, TODAY) == "公共法律知识考试第2场（2026-05-11）：作答中"
    assert found["n3"].last_attempt is None


def test_attempts_handed_in_after_the_date_do_not_count(registry):
    found = {g.profile.user.username: g for g in gaps.certification_gaps(on=dt.date(2026, 5, 5)).people}
    # On 5 May nobody had taken a general exam yet (they start on 10 May); v1 and s4 still had valid
    # certificates, so they are not on the list.
    assert set(found) == {"x2", "n3", "b5", "f6", "r7"}
    assert all(g.general.sat == 0 for g in found.values())
    assert found["b5"].next_step == "general" and found["r7"].specialised.passed == 1


def test_the_department_filter(registry):
    found = gaps.certification_gaps(on=TODAY, department="采购科")
    assert [g.profile.user.username for g in found.people] == _expected("采购科") == ["b5", "f6", "r7"]
    assert found.enforcement_staff == 3
    assert {k: n for k, _t, n in found.counts} == {
        "suspended": 0,
        "specialised": 1,
        "general": 1,
        "certificate": 1,
    }
    # The filter's choices: the departments with staff in enforcement posts.
    assert selectors.department_choices(TODAY, enforcement_post=True) == [
        ("法规科", "法规科"),
        ("采购科", "采购科"),
    ]


# --- page, API and export: who may see it -----------------------------------------------------------------


def test_the_page_lists_the_people_and_the_rule_behind_the_next_step(registry, login, director):
    page = login(director).get("/exams/certificates/gaps/", {"on": "2026-06-30", "department": "法规科"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "执法岗位人员 4 人，未持有效执法证 3 人，其中从未参加执法资格考试 1 人" in html
    for name in ("人员x2", "人员n3", "人员s4"):
        assert name in html
    assert "人员v1" not in html and "人员b5" not in html
    assert "参加复训，合格后恢复执法证" in html and "“下一步”如何判断" in html
    assert "gaps.xlsx?department=%E6%B3%95%E8%A7%84%E7%A7%91&amp;on=2026-06-30" in html
    dashboard = login(director).get("/exams/certificates/?on=2026-06-30").content.decode()
    assert "应考尽考名单" in dashboard


def test_the_page_says_when_no_exam_is_marked_as_a_certification_exam(db, login, examadmin):
    user = ensure_user(username="z1", display_name="人员z1", role_names=["工作人员"], password="x-pass-2026")
    StaffProfile.objects.create(user=user, department="法规科", enforcement_post=True)
    html = login(examadmin).get("/exams/certificates/gaps/").content.decode()
    assert "还没有考试标记为执法资格考试" in html and "人员z1" in html


def test_only_the_dashboard_roles_see_the_list(
    registry, login, client, director, examadmin, supervisor, clerk, outsider
):
    for user in (director, examadmin, supervisor):
        assert login(user).get("/exams/certificates/gaps/").status_code == 200, user
        assert login(user).get("/api/v1/exams/certification-gaps").status_code == 200, user
        assert login(user).get("/exams/certificates/gaps.xlsx").status_code == 200, user
    for user in (clerk, outsider):
        assert login(user).get("/exams/certificates/gaps/").status_code == 403, user
        assert login(user).get("/exams/certificates/gaps.xlsx").status_code == 403, user
        api = login(user).get("/api/v1/exams/certification-gaps")
        assert api.status_code == 403 and api.json()["detail"] == "无权查看应考尽考名单"
        assert login(user).get("/api/v1/exams/certification-gaps.xlsx").status_code == 403
    anonymous = client.get("/exams/certificates/gaps/")
    assert anonymous.status_code == 302 and "/login" in anonymous.url
    assert client.get("/api/v1/exams/certification-gaps").status_code == 401
    assert client.get("/api/v1/exams/certification-gaps.xlsx").status_code == 401


def test_the_api_gives_the_list_with_a_token(registry, client, token_for, examadmin):
    r = client.get(
        "/api/v1/exams/certification-gaps",
        {"on": "2026-06-30", "department": "采购科"},
        headers=token_for(examadmin),
    )
    body = r.json()
    assert r.status_code == 200 and body["on"] == "2026-06-30" and body["enforcement_staff"] == 3
    assert [p["username"] for p in body["people"]] == ["b5", "f6", "r7"]
    r7 = body["people"][2]
    assert r7["specialised"] == {"sat": 2, "passed": 1, "label": "已通过"}
    assert r7["general"] == {"sat": 1, "passed": 0, "label": "未通过（参加 1 次）"}
    assert (
        r7["last_attempt"]["exam_title"] == "公共法律知识考试第2场"
        and r7["last_attempt"]["submitted"] is False
    )
    assert r7["next_step_text"] == "参加公共法律知识考试" and r7["certificate"]["state"] == "无执法证"
    assert [e["title"] for e in body["exams"]["general"]] == [
        "公共法律知识考试第2场",
        "公共法律知识考试第1场",
    ]


def test_a_bad_date_gets_a_chinese_message(registry, login, director):
    api = login(director).get("/api/v1/exams/certification-gaps", {"on": "2026-02-30"})
    assert api.status_code == 400 and "不是有效的日期" in api.json()["detail"]
    page = login(director).get("/exams/certificates/gaps/", {"on": "abc"})
    assert page.status_code == 400 and "不是有效的日期" in page.content.decode()
    export = login(director).get("/exams/certificates/gaps.xlsx", {"on": "1999-01-01"})
    assert export.status_code == 400 and "统计日期应在" in export.content.decode()


def test_the_excel_export_has_every_row_and_keeps_typed_text_as_text(registry, login, director):
    registry["n3"].display_name = '=HYPERLINK("http://evil/","点击")'
    registry["n3"].save()
    r = login(director).get("/exams/certificates/gaps.xlsx", {"on": "2026-06-30"})
    assert (
        r.status_code == 200 and 'filename="certification-gaps-2026-06-30.xlsx"' in r["Content-Disposition"]
    )
    ws = load_workbook(io.BytesIO(r.content))["应考尽考名单"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "全局 未持有效执法证的执法岗位人员（统计日期 2026-06-30）"
    assert rows[1][0] == "姓名" and rows[1][-1] == "下一步"
    assert [row[1] for row in rows[2:]] == ["n3", "s4", "x2", "b5", "f6", "r7"]
    cell = next(c for c in ws["A"] if c.value and str(c.value).startswith("=HYPERLINK"))
    assert cell.data_type == "s"
    x2 = next(row for row in rows if row[1] == "x2")
    assert x2[4:8] == ("已过期", "执法证 ZF-x2，有效期至 2026-03-31", "已通过", "未通过（参加 1 次）")
