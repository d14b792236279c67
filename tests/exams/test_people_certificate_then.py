"""执法人员占比's name list for a past date shows the certificate each person held that day, with the status it
had then: not one issued later, not today's status."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from fazhi.exams.models import EnforcementCertificate
from fazhi.exams.services import certificates

from .test_certificates import person

pytestmark = pytest.mark.django_db
D = dt.date


def rows(page) -> dict[str, list[str]]:
    """Name → the cells of its row (执法证, 有效期至, 状态) on the list page."""
    html = page.content.decode()
    found = {}
    for name, cells in re.findall(r'<th scope="row">([^<]+)</th>(.*?)</tr>', html, re.S):
        found[name] = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td>(.*?)</td>", cells, re.S)]
    return found


def test_a_certificate_issued_after_the_date_is_not_shown_on_that_dates_list(login, director):
    holder = person("h1", "法规科", cert=(D(2023, 1, 1), D(2026, 1, 31)), since=D(2022, 1, 1))
    EnforcementCertificate.objects.create(
        holder=holder, number="N-h1-new", issued_on=D(2026, 3, 1), expires_on=D(2029, 3, 1)
    )
    person("h2", "法规科", cert=(D(2026, 5, 1), D(2029, 5, 1)), since=D(2022, 1, 1))
    page = login(director).get("/exams/certificates/people/?kind=enforcement&on=2025-12-31")
    assert page.status_code == 200
    shown = rows(page)
    assert shown["h1"] == ["法规科", "", "N-h1", "2026-01-31", "有效"]
    assert shown["h2"][2:] == ["—", "—", "无证"]  # issued in May 2026: nothing on the last day of 2025
    # Between the two certificates the old one shows as expired, on the new one's day the new one.
    assert rows(login(director).get("/exams/certificates/people/?kind=enforcement&on=2026-02-15"))["h1"][
        2:
    ] == [
        "N-h1",
        "2026-01-31",
        "过期",
    ]
    assert rows(login(director).get("/exams/certificates/people/?kind=enforcement&on=2026-03-01"))["h1"][
        2:
    ] == [
        "N-h1-new",
        "2029-03-01",
        "有效",
    ]


def test_the_status_shown_is_the_one_of_the_date_not_todays(login, director):
    holder = person("s1", "法规科", cert=(D(2024, 1, 1), D(2028, 1, 1)), since=D(2022, 1, 1))
    cert = EnforcementCertificate.objects.get(holder=holder)
    certificates.set_status(certificate=cert, status="suspended", on=D(2026, 6, 1), comment="复训不合格")
    before = rows(login(director).get("/exams/certificates/people/?kind=certified&on=2026-05-31"))
    assert before["s1"][2:] == ["N-s1", "2028-01-01", "有效"]
    after = rows(login(director).get("/exams/certificates/people/?kind=uncertified&on=2026-06-30"))
    assert after["s1"][2:] == ["N-s1", "2028-01-01", "暂扣"]


def test_a_certificate_in_force_is_kept_over_a_later_one_out_of_force():
    holder = person("k1", "法规科", cert=(D(2024, 1, 1), D(2028, 1, 1)), since=D(2022, 1, 1))
    later = EnforcementCertificate.objects.create(
        holder=holder, number="N-k1-b", issued_on=D(2025, 1, 1), expires_on=D(2029, 1, 1)
    )
    certificates.set_status(certificate=later, status="revoked", on=D(2025, 2, 1), comment="证号重复，注销")
    shown = certificates.certificates_on([holder.pk], D(2025, 6, 1))[holder.pk]
    assert (shown.certificate.number, shown.status_label) == ("N-k1", "有效")
    # Before the revocation the later one is in force too, and it is the latest.
    shown = certificates.certificates_on([holder.pk], D(2025, 1, 15))[holder.pk]
    assert (shown.certificate.number, shown.status_label) == ("N-k1-b", "有效")
