"""复训: a failed retraining suspends the person's certificate from its date (audited, out of 执法人员占比)
until a later passed retraining restores it; bad input changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from fazhi.core.errors import ValidationFailed
from fazhi.core.models import AuditEvent
from fazhi.exams.models import CertificateStatusChange, EnforcementCertificate, TrainingRecord
from fazhi.exams.services import certificates, retraining

from .test_certificates import person

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = D(2026, 9, 30)


@pytest.fixture
def holder(db):
    return person("h1", "法规科", cert=(D(2025, 1, 1), D(2027, 12, 31)))


def _cert() -> EnforcementCertificate:
    return EnforcementCertificate.objects.get(number="N-h1")


def _certified(on: dt.date) -> int:
    return certificates.certified_share(on)[1].certified


def _retraining(user, on, result, **kw):
    return retraining.record_training(
        user=user, date=on, hours=kw.pop("hours", 8), topic=kw.pop("topic", "年度复训"), kind="retraining",
        result=result, today=TODAY, **kw,
    )  # fmt: skip


def test_a_failed_retraining_suspends_the_certificate_until_a_passed_one_restores_it(holder, examadmin):
    failed = _retraining(holder, D(2026, 3, 1), "failed", by=examadmin)
    assert [c.number for c in failed.suspended] == ["N-h1"]
    assert failed.messages() == ["执法证 N-h1 自 2026-03-01 起暂扣（复训不合格）"]
    cert = _cert()
    assert (cert.status, cert.status_changed_on) == ("suspended", D(2026, 3, 1))
    passed = _retraining(holder, D(2026, 5, 1), "passed", by=examadmin)
    assert [c.number for c in passed.restored] == ["N-h1"]
    cert.refresh_from_db()
    assert (cert.status, cert.status_changed_on) == ("valid", D(2026, 5, 1))
    # Out of 执法人员占比 from the failed retraining's date until the passed one's.
    assert [_certified(on) for on in (D(2026, 2, 28), D(2026, 3, 1), D(2026, 4, 30), D(2026, 5, 1))] == [
        1,
        0,
        0,
        1,
    ]
    history = list(cert.status_changes.values_list("effective_on", "status", "training_id", "recorded_by"))
    assert history == [
        (D(2026, 3, 1), "suspended", failed.record.pk, examadmin.pk),
        (D(2026, 5, 1), "valid", passed.record.pk, examadmin.pk),
    ]
    events = AuditEvent.objects.filter(action="transition", object_id=str(cert.pk)).order_by("pk")
    assert [e.comment for e in events] == [
        "复训不合格（2026-03-01“年度复训”），暂扣至复训合格",
        "复训合格（2026-05-01“年度复训”），恢复执法证",
    ]


def test_a_second_failure_keeps_the_suspension_from_the_first(holder):
    _retraining(holder, D(2026, 3, 1), "failed")
    again = _retraining(holder, D(2026, 4, 1), "failed")
    assert again.suspended == [] and again.notes == ["h1 在 2026-04-01 没有有效的执法证，无需暂扣"]
    assert _cert().status_changed_on == D(2026, 3, 1)
    assert _retraining(holder, D(2026, 6, 1), "passed").restored[0].number == "N-h1"


def test_a_suspension_for_another_reason_is_not_lifted_by_a_passed_retraining(holder, examadmin):
    certificates.set_status(
        certificate=_cert(), status="suspended", on=D(2026, 2, 1), comment="涉嫌违法执法，停职审查"
    )
    passed = _retraining(holder, D(2026, 5, 1), "passed")
    assert passed.restored == []
    assert passed.notes == [
        "执法证 N-h1 因其他原因暂扣：涉嫌违法执法，停职审查，复训合格不自动恢复，请考试管理员核实后处理"
    ]
    assert _cert().status == "suspended"


def test_an_ordinary_training_or_a_retraining_without_result_changes_no_certificate(holder):
    retraining.record_training(
        user=holder, date=D(2026, 3, 1), hours="4.5", topic="行政处罚法专题培训", today=TODAY
    )
    _retraining(holder, D(2026, 3, 2), "")
    assert TrainingRecord.objects.count() == 2 and not CertificateStatusChange.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kind": "training", "result": "failed"}, "只有复训记录可以登记考核结果"),
        ({"result": "absent"}, "考核结果“absent”无效"),
        ({"kind": "lecture"}, "培训类型“lecture”无效"),
        ({"date": D(2026, 10, 1)}, "晚于今天，不能登记尚未进行的复训的考核结果"),
        ({"hours": 0}, "学时应大于 0、不超过 999.9，最多一位小数"),
        ({"hours": "1.25"}, "最多一位小数"),
        ({"hours": "四"}, "学时“四”不是数字"),
        ({"topic": "  "}, "请填写培训主题"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(holder, changes, message):
    args = {"user": holder, "date": D(2026, 3, 1), "hours": 8, "topic": "年度复训", "kind": "retraining",
            "result": "failed", "today": TODAY, **changes}  # fmt: skip
    with pytest.raises(ValidationFailed, match=message):
        retraining.record_training(**args)
    assert not TrainingRecord.objects.exists() and not CertificateStatusChange.objects.exists()
    assert _cert().status == "valid"


def test_results_are_recorded_in_date_order(holder):
    _retraining(holder, D(2026, 5, 1), "passed")
    with pytest.raises(
        ValidationFailed, match="已登记 2026-05-01 的复训结果（合格），不能再登记更早日期（2026-03-01）"
    ):
        _retraining(holder, D(2026, 3, 1), "failed")
    assert TrainingRecord.objects.count() == 1 and _cert().status == "valid"


def test_a_result_added_later_to_a_retraining_acts_once(holder):
    record = _retraining(holder, D(2026, 3, 1), "").record
    outcome = retraining.set_result(record=record, result="failed", today=TODAY)
    assert [c.number for c in outcome.suspended] == ["N-h1"]
    with pytest.raises(ValidationFailed, match="已登记考核结果（不合格），不能修改"):
        retraining.set_result(record=record, result="passed", today=TODAY)
    assert CertificateStatusChange.objects.count() == 1


# --- the API and the admin -------------------------------------------------------------------------------


def test_the_api_records_a_retraining_result_for_the_exam_administrator(holder, examadmin, login, client):
    body = {
        "username": "h1",
        "date": "2026-03-01",
        "hours": 8,
        "topic": "年度复训",
        "kind": "retraining",
        "result": "failed",
    }
    r = login(examadmin).post("/api/v1/exams/trainings", body, content_type="application/json")
    assert r.status_code == 201, r.content
    assert r.json()["suspended"] == ["N-h1"] and r.json()["messages"] == [
        "执法证 N-h1 自 2026-03-01 起暂扣（复训不合格）"
    ]
    assert _cert().status == "suspended"


def test_the_api_refuses_others_and_bad_input_without_changes(holder, director, examadmin, login, client):
    body = {
        "username": "h1",
        "date": "2026-03-01",
        "hours": 8,
        "topic": "年度复训",
        "kind": "retraining",
        "result": "failed",
    }
    assert client.post("/api/v1/exams/trainings", body, content_type="application/json").status_code == 401
    refused = login(director).post("/api/v1/exams/trainings", body, content_type="application/json")
    assert refused.status_code == 403 and refused.json()["detail"] == "只有考试管理员可以登记培训和复训结果"
    bad = login(examadmin).post(
        "/api/v1/exams/trainings", {**body, "kind": "training"}, content_type="application/json"
    )
    assert bad.status_code == 400 and "只有复训记录可以登记考核结果" in bad.json()["detail"]
    nobody = login(examadmin).post(
        "/api/v1/exams/trainings", {**body, "username": "nobody"}, content_type="application/json"
    )
    assert nobody.status_code == 400 and nobody.json()["detail"] == "找不到人员“nobody”"
    assert not TrainingRecord.objects.exists() and _cert().status == "valid"


def _training_post(user, **changes):
    data = {"user": user.pk, "date": "2026-03-01", "hours": "8", "topic": "年度复训", "organizer": "",
            "kind": "retraining", "result": "failed"}  # fmt: skip
    data.update(changes)
    return data


def test_the_admin_records_a_failed_retraining_and_then_keeps_it_as_evidence(holder, examadmin, login):
    c = login(examadmin)
    r = c.post("/admin/exams/trainingrecord/add/", _training_post(holder), follow=True)
    assert r.status_code == 200 and "执法证 N-h1 自 2026-03-01 起暂扣（复训不合格）" in r.content.decode()
    record = TrainingRecord.objects.get()
    assert _cert().status == "suspended" and CertificateStatusChange.objects.get().training == record
    page = c.get(f"/admin/exams/trainingrecord/{record.pk}/change/").content.decode()
    assert 'name="result"' not in page  # the recorded result is read-only
    assert c.post(f"/admin/exams/trainingrecord/{record.pk}/delete/", {"post": "yes"}).status_code == 403
    assert TrainingRecord.objects.filter(pk=record.pk).exists()
    # The rest is still checked and saved; the result, date and person stay.
    change = f"/admin/exams/trainingrecord/{record.pk}/change/"
    zero = c.post(change, {"hours": "0", "topic": "年度复训", "organizer": ""})
    assert zero.status_code == 200 and "学时应大于 0" in zero.content.decode()
    assert (
        c.post(change, {"hours": "6", "topic": "年度复训（补）", "organizer": "区司法局"}).status_code == 302
    )
    record.refresh_from_db()
    assert (record.hours, record.result, record.date) == (6, "failed", D(2026, 3, 1))


def test_the_admin_refuses_a_bad_training_record(holder, examadmin, login):
    r = login(examadmin).post("/admin/exams/trainingrecord/add/", _training_post(holder, kind="training"))
    assert r.status_code == 200 and "只有复训记录可以登记考核结果" in r.content.decode()
    assert not TrainingRecord.objects.exists() and _cert().status == "valid"


def test_the_admin_adds_a_result_to_a_retraining_entered_without_one(holder, examadmin, login):
    record = _retraining(holder, D(2026, 3, 1), "").record
    r = login(examadmin).post(
        f"/admin/exams/trainingrecord/{record.pk}/change/",
        _training_post(holder, result="failed"),
        follow=True,
    )
    assert r.status_code == 200 and "起暂扣（复训不合格）" in r.content.decode()
    assert _cert().status == "suspended"


def test_the_holder_sees_the_result_on_his_page(holder, login):
    _retraining(holder, D(2026, 3, 1), "failed")
    html = login(holder).get("/exams/me/").content.decode()
    assert "复训（持证人员）" in html and "不合格" in html and "2026-03-01 暂扣：复训不合格" in html
