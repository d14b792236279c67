"""执法证 expiry: issued without an expiry date, a certificate runs for the years of the certificate rule
(2 by default, editable in the admin); an expired certificate does not count in 执法人员占比."""

from __future__ import annotations

import datetime as dt

import pytest

from fazhi.core.errors import ValidationFailed
from fazhi.exams.models import CertificateRule, EnforcementCertificate
from fazhi.exams.services import certificates

from .test_certificate_basis import qualified
from .test_certificates import person

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.mark.parametrize(
    ("issued", "expires"),
    [
        (D(2026, 7, 1), D(2028, 6, 30)),
        (D(2026, 1, 1), D(2027, 12, 31)),
        (D(2028, 2, 29), D(2030, 2, 28)),  # no 29 February in 2030
        (D(2027, 3, 1), D(2029, 2, 28)),
    ],
)
def test_the_default_expiry_is_the_day_before_the_second_anniversary(db, issued, expires):
    assert certificates.default_expiry(issued) == expires


def test_the_administrator_changes_the_number_of_years(db):
    CertificateRule.objects.update_or_create(key="default", defaults={"validity_years": 3})
    assert certificates.default_expiry(D(2026, 7, 1)) == D(2029, 6, 30)
    assert "发证之日起 3 年，至 2029-06-30" in certificates.expiry_explanation(D(2026, 7, 1))


def test_without_the_rule_row_the_shipped_two_years_apply(db):
    CertificateRule.objects.all().delete()
    assert certificates.default_expiry(D(2026, 7, 1)) == D(2028, 6, 30)


def test_issuing_without_an_expiry_uses_the_rule_and_with_one_keeps_it(db):
    holder = qualified(person("i1", "法规科"))
    cert = certificates.issue_certificate(holder=holder, number=" ZF-100 ", issued_on=D(2026, 7, 1))
    assert (cert.number, cert.expires_on, cert.status) == ("ZF-100", D(2028, 6, 30), "valid")
    given = certificates.issue_certificate(
        holder=holder, number="ZF-101", issued_on=D(2026, 7, 1), expires_on=D(2027, 1, 1)
    )
    assert given.expires_on == D(2027, 1, 1)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"number": "ZF-100"}, "证件编号 ZF-100 已存在"),
        ({"number": " "}, "请填写证件编号"),
        ({"expires_on": D(2026, 6, 30)}, "不能早于发证日期"),
    ],
)
def test_a_bad_certificate_is_refused_and_nothing_is_created(db, changes, message):
    holder = qualified(person("i1", "法规科"))
    certificates.issue_certificate(holder=holder, number="ZF-100", issued_on=D(2026, 7, 1))
    with pytest.raises(ValidationFailed, match=message):
        certificates.issue_certificate(
            holder=holder, **{"number": "ZF-200", "issued_on": D(2026, 7, 1), **changes}
        )
    assert EnforcementCertificate.objects.count() == 1


def test_an_expired_certificate_does_not_count_from_the_day_after_its_expiry(db):
    person("e1", "法规科", cert=(D(2024, 7, 1), D(2026, 6, 30)))
    assert [certificates.certified_share(on)[1].certified for on in (D(2026, 6, 30), D(2026, 7, 1))] == [1, 0]
    # Also once the daily job has marked it 过期.
    certificates.expire_certificates(D(2026, 7, 1))
    assert EnforcementCertificate.objects.get().status == "expired"
    assert [certificates.certified_share(on)[1].certified for on in (D(2026, 6, 30), D(2026, 7, 1))] == [1, 0]


# --- the admin and the API ----------------------------------------------------------------------------------


def test_the_admin_fills_in_the_expiry_and_says_which_rule_did(db, examadmin, login):
    holder = qualified(person("i1", "法规科"))
    data = {"holder": holder.pk, "number": "ZF-300", "issued_on": "2026-07-01", "expires_on": "", "status": "valid",
            "status_changed_on": "", "issuer": "区司法局", "note": "", "status_reason": ""}  # fmt: skip
    r = login(examadmin).post("/admin/exams/enforcementcertificate/add/", data, follow=True)
    assert r.status_code == 200
    assert "有效期至按执法证规则填写：发证之日起 2 年，至 2028-06-30" in r.content.decode()
    assert EnforcementCertificate.objects.get(number="ZF-300").expires_on == D(2028, 6, 30)


def test_the_rule_is_edited_in_the_admin_but_never_added_twice_or_deleted(db, examadmin, login, reviewer):
    rule = CertificateRule.objects.get_or_create(key="default")[0]
    c = login(examadmin)
    url = f"/admin/exams/certificaterule/{rule.pk}/change/"
    bad = c.post(url, {"validity_years": "0", "source": "区司法局规定", "note": ""})
    assert bad.status_code == 200 and CertificateRule.objects.get().validity_years == 2
    assert c.post(url, {"validity_years": "3", "source": "区司法局规定", "note": ""}).status_code == 302
    assert CertificateRule.objects.get().validity_years == 3
    assert c.get("/admin/exams/certificaterule/add/").status_code == 403
    assert c.post(f"/admin/exams/certificaterule/{rule.pk}/delete/", {"post": "yes"}).status_code == 403
    assert login(reviewer).get(url).status_code == 403


def test_the_api_issues_a_certificate_for_the_exam_administrator(db, examadmin, director, login, client):
    holder = qualified(person("i1", "法规科"))
    body = {"username": "i1", "number": "ZF-400", "issued_on": "2026-07-01"}
    r = login(examadmin).post("/api/v1/exams/certificates", body, content_type="application/json")
    assert r.status_code == 201 and r.json()["expires_on"] == "2028-06-30"
    assert "发证之日起 2 年" in r.json()["expiry_rule"] and r.json()["holder_id"] == holder.pk
    again = login(examadmin).post("/api/v1/exams/certificates", body, content_type="application/json")
    assert again.status_code == 400 and again.json()["detail"] == "证件编号 ZF-400 已存在，请核对后重新填写"
    other = {**body, "number": "ZF-401"}
    assert (
        login(director).post("/api/v1/exams/certificates", other, content_type="application/json").status_code
        == 403
    )
    assert (
        client.post("/api/v1/exams/certificates", other, content_type="application/json").status_code == 401
    )
    assert EnforcementCertificate.objects.count() == 1
