"""执法证 status history: 执法人员占比 for a past date follows the status in force on that date, also after
a suspension was lifted; late entries for an earlier date; rows from before the history existed."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps

from fazhi.core.models import Message
from fazhi.exams.models import CertificateStatusChange, EnforcementCertificate
from fazhi.exams.services import certificates

from .test_certificates import person

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def holder(db):
    return person("h1", "法规科", cert=(D(2025, 1, 1), D(2028, 1, 1)))


def _cert():
    return EnforcementCertificate.objects.get(number="N-h1")


def _certified(on):
    return certificates.certified_share(on)[1].certified


def test_a_lifted_suspension_still_counts_in_the_months_it_lasted(holder, examadmin):
    cert = _cert()
    certificates.set_status(
        certificate=cert, status="suspended", on=D(2026, 3, 1), comment="复训不合格", by=examadmin
    )
    certificates.set_status(
        certificate=cert, status="valid", on=D(2026, 5, 1), comment="复训合格，恢复", by=examadmin
    )
    cert.refresh_from_db()
    assert (cert.status, cert.status_changed_on) == ("valid", D(2026, 5, 1))
    assert [_certified(on) for on in (D(2026, 2, 28), D(2026, 3, 1), D(2026, 4, 30), D(2026, 5, 1))] == [
        1,
        0,
        0,
        1,
    ]
    series = certificates.certified_share_series(6, today=D(2026, 6, 30))
    assert [p["certified"] for p in series] == [1, 1, 0, 0, 1, 1]  # Jan–Jun: out at the end of Mar and Apr
    assert [certificates.status_on(cert, on) for on in (D(2026, 1, 1), D(2026, 4, 1), D(2026, 6, 1))] == [
        "valid",
        "suspended",
        "valid",
    ]
    history = list(cert.status_changes.values_list("effective_on", "status", "reason", "recorded_by"))
    assert history == [
        (D(2026, 3, 1), "suspended", "复训不合格", examadmin.pk),
        (D(2026, 5, 1), "valid", "复训合格，恢复", examadmin.pk),
    ]


def test_a_change_entered_late_for_an_earlier_date_keeps_the_later_status_current(holder):
    cert = _cert()
    certificates.set_status(certificate=cert, status="revoked", on=D(2026, 6, 1), comment="调离执法岗位")
    certificates.set_status(certificate=cert, status="suspended", on=D(2026, 2, 1), comment="补录：暂扣")
    cert.refresh_from_db()
    assert (cert.status, cert.status_changed_on) == ("revoked", D(2026, 6, 1))
    assert [_certified(on) for on in (D(2026, 1, 31), D(2026, 3, 1), D(2026, 7, 1))] == [1, 0, 0]


def test_a_bad_change_is_refused_and_records_nothing(holder):
    cert = _cert()
    with pytest.raises(certificates.ValidationFailed, match="须填写原因"):
        certificates.set_status(certificate=cert, status="suspended", on=D(2026, 3, 1))
    with pytest.raises(certificates.ValidationFailed, match="不能早于发证日期"):
        certificates.set_status(certificate=cert, status="valid", on=D(2024, 3, 1))
    assert not CertificateStatusChange.objects.exists()
    cert.refresh_from_db()
    assert cert.status == "valid" and cert.status_changed_on is None


def test_the_upgrade_records_the_status_each_old_row_held(db):
    dated = person("o1", "法规科", cert=(D(2025, 1, 1), D(2028, 1, 1)))
    undated = person("o2", "法规科", cert=(D(2025, 1, 1), D(2028, 1, 1)))
    untouched = person("o3", "法规科", cert=(D(2025, 1, 1), D(2028, 1, 1)))
    EnforcementCertificate.objects.filter(holder=dated).update(
        status="suspended", status_changed_on=D(2026, 3, 1)
    )
    EnforcementCertificate.objects.filter(holder=undated).update(status="revoked")
    before = {on: _certified(on) for on in (D(2025, 6, 1), D(2026, 2, 1), D(2026, 4, 1))}
    assert before == {D(2025, 6, 1): 2, D(2026, 2, 1): 2, D(2026, 4, 1): 1}

    migration = importlib.import_module("fazhi.exams.migrations.0004_certificate_status_history")
    migration.backfill(apps, None)

    changes = {
        c.certificate.holder_id: (c.status, c.effective_on) for c in CertificateStatusChange.objects.all()
    }
    assert changes == {dated.pk: ("suspended", D(2026, 3, 1)), undated.pk: ("revoked", D(2025, 1, 1))}
    assert untouched.pk not in changes
    # The share for every date is what it was before the upgrade.
    assert {on: _certified(on) for on in before} == before


def test_the_holder_and_the_admin_see_the_history(holder, examadmin, login):
    cert = _cert()
    certificates.set_status(certificate=cert, status="suspended", on=D(2026, 3, 1), comment="复训不合格")
    certificates.set_status(certificate=cert, status="valid", on=D(2026, 5, 1), comment="复训合格，恢复")
    mine = login(holder).get("/exams/me/").content.decode()
    assert "2026-03-01 暂扣：复训不合格" in mine and "2026-05-01 有效：复训合格，恢复" in mine
    page = login(examadmin).get(f"/admin/exams/enforcementcertificate/{cert.pk}/change/").content.decode()
    assert "状态变更记录" in page and "复训不合格" in page and "复训合格，恢复" in page


def test_expiry_reminders_link_each_reader_to_a_page_they_may_open(db, examadmin, login):
    holder = person("e1", "法规科", cert=(D(2024, 9, 1), D(2026, 8, 20)))
    assert certificates.send_expiry_reminders(D(2026, 6, 30)) == 2
    assert certificates.send_expiry_reminders(D(2026, 6, 30)) == 0  # once per certificate and expiry date
    for user in (holder, examadmin):
        msg = Message.objects.get(recipient=user)
        assert "N-e1" in msg.title and "2026年8月20日" in msg.title
        assert login(user).get(msg.url).status_code == 200, (user.username, msg.url)
