import datetime as dt
import re

import pytest

from fazhi.core.errors import ValidationFailed
from fazhi.core.models import Message
from fazhi.core.services import ensure_user
from fazhi.exams.models import EnforcementCertificate, StaffProfile
from fazhi.exams.services import certificates

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 30)


def person(name, dept, enforcement=True, cert=None, since=None):
    user = ensure_user(username=name, display_name=name, role_names=["工作人员"], password="x-pass-2026")
    StaffProfile.objects.create(user=user, department=dept, enforcement_post=enforcement, post_since=since)
    if cert:
        issued, expires = cert
        EnforcementCertificate.objects.create(
            holder=user, number=f"N-{name}", issued_on=issued, expires_on=expires
        )
    return user


@pytest.fixture
def registry(db):
    long = (dt.date(2025, 1, 1), dt.date(2027, 1, 1))
    person("a1", "法规科", cert=long)
    person("a2", "法规科", cert=(dt.date(2025, 1, 1), dt.date(2026, 3, 31)))  # expired by June
    person("a3", "法规科")
    person("b1", "采购科", cert=(dt.date(2026, 5, 1), dt.date(2028, 5, 1)), since=dt.date(2026, 4, 1))
    person("c1", "办公室", enforcement=False, cert=long)  # certified but not on an enforcement post


def test_the_share_is_certified_enforcement_staff_over_enforcement_staff_by_department(registry):
    rows, total = certificates.certified_share(TODAY)
    assert [(r.department, r.enforcement_staff, r.certified) for r in rows] == [
        ("法规科", 3, 1),
        ("采购科", 1, 1),
    ]
    assert total.share == 0.5
    assert {
        s.user.username for s in certificates.people_behind(kind="uncertified", department="法规科", on=TODAY)
    } == {"a2", "a3"}


def test_a_suspension_counts_from_its_date(registry):
    cert = EnforcementCertificate.objects.get(number="N-a1")
    certificates.set_status(
        certificate=cert, status="suspended", on=dt.date(2026, 6, 1), comment="复训不合格"
    )
    assert certificates.certified_share(dt.date(2026, 5, 31))[1].certified == 2
    assert certificates.certified_share(TODAY)[1].certified == 1
    with pytest.raises(ValidationFailed, match="须填写原因"):
        certificates.set_status(certificate=cert, status="revoked")


def test_the_series_follows_issue_and_expiry_dates(registry):
    series = certificates.certified_share_series(6, today=TODAY)
    assert [p["label"] for p in series] == ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"]
    assert [(p["enforcement_staff"], p["certified"]) for p in series] == [
        (3, 2),
        (3, 2),
        (3, 2),
        (4, 1),
        (4, 2),
        (4, 2),
    ]


def test_reminders_go_out_once_within_sixty_days_of_expiry(registry, examadmin):
    person("d1", "法规科", cert=(dt.date(2024, 8, 1), dt.date(2026, 8, 20)))
    person("d2", "法规科", cert=(dt.date(2024, 9, 1), dt.date(2026, 9, 30)))  # 92 days away: not yet
    sent = certificates.send_expiry_reminders(TODAY)
    assert sent == 2  # the holder and the exam administrator
    assert Message.objects.filter(recipient__username="d1", title__contains="N-d1").exists()
    assert not Message.objects.filter(title__contains="N-d2").exists()
    assert certificates.send_expiry_reminders(TODAY) == 0
    assert EnforcementCertificate.objects.get(number="N-a2").status == "expired"


def test_the_dashboard_and_the_lists_behind_it(registry, login, director, clerk):
    page = login(director).get("/exams/certificates/?on=2026-06-30")
    html = page.content.decode()
    assert page.status_code == 200 and "法规科" in html and "echarts.min.js" in html
    people = login(director).get(
        "/exams/certificates/people/?kind=uncertified&department=法规科&on=2026-06-30"
    )
    # The names in the list's rows (a bare "a1" could be part of the page's random CSRF token).
    listed = re.findall(r'<th scope="row">([^<]+)</th>', people.content.decode())
    assert "a3" in listed and "a1" not in listed
    assert login(clerk).get("/exams/certificates/").status_code == 403
    api = login(director).get("/api/v1/exams/certified-share").json()
    assert {d["department"] for d in api["departments"]} == {"法规科", "采购科"} and len(api["series"]) == 12
    assert login(clerk).get("/api/v1/exams/certified-share").status_code == 403


def test_my_records_page_lists_certificates_and_training(registry, login):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="a1")
    assert "N-a1" in login(user).get("/exams/me/").content.decode()


# --- the date and list type typed in the address bar (M5, L6) ------------------------------------------


@pytest.mark.parametrize(
    "on", ["9999-12-31", "9999-12-01", "0001-01-01", "0001-06-01", "1999-12-31", "2101-01-01"]
)
def test_a_date_out_of_range_gets_a_chinese_message_not_an_error_page(registry, login, director, on):
    page = login(director).get(f"/exams/certificates/?on={on}")
    html = page.content.decode()
    assert page.status_code == 400 and "统计日期应在 2000-01-01 至 2100-12-31 之间" in html
    assert "下面显示的是今天的数据" in html
    people = login(director).get(f"/exams/certificates/people/?kind=enforcement&on={on}")
    assert (
        people.status_code == 400 and "统计日期应在 2000-01-01 至 2100-12-31 之间" in people.content.decode()
    )


@pytest.mark.parametrize("on", ["2026-02-30", "2026-1-1", "abc", "20260101", "2026-W01-1"])
def test_an_invalid_date_is_reported_instead_of_silently_replaced_by_today(registry, login, director, on):
    page = login(director).get("/exams/certificates/", {"on": on})
    html = page.content.decode()
    assert page.status_code == 400 and "不是有效的日期" in html and "年-月-日" in html


def test_a_full_width_date_is_accepted(registry, login, director):
    page = login(director).get("/exams/certificates/", {"on": "２０２６-０６-３０"})
    assert page.status_code == 200 and "统计日期：2026-06-30" in page.content.decode()


def test_the_series_does_not_fail_at_the_ends_of_the_calendar(registry):
    assert certificates.certified_share_series(12, today=dt.date(9999, 12, 31))[-1]["label"] == "9999-12"
    assert [p["label"] for p in certificates.certified_share_series(12, today=dt.date(1, 2, 1))] == [
        "0001-01",
        "0001-02",
    ]


def test_an_unknown_list_type_gets_a_chinese_message_without_internal_codes(registry, login, director):
    r = login(director).get("/exams/certificates/people/?kind=x")
    html = r.content.decode()
    assert r.status_code == 400 and "名单类型无效" in html
    assert "enforcement" not in html and "uncertified" not in html
