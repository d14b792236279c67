"""The exams app's texts written only in the admin (执法证规则、执法资格考试规则的说明, 知识点与法律竞赛的说明) are
refused over their limits with the Chinese message at the field, nothing saved; at the limit they are saved."""

from __future__ import annotations

import pytest

from fazhi.exams.models import CertificateRule, CertificationExamRule, Competition, KnowledgePoint
from fazhi.exams.services import bank, certificates, competitions, exam_format

from ..core.admin_change import admin_client, refused, shown_values, superuser  # noqa: F401

pytestmark = pytest.mark.django_db


def _rule(model):
    return model.objects.get_or_create(key="default")[0]  # the row the migrations put in the admin


def _point():
    return KnowledgePoint.objects.create(name="预算法", description="预算编制与执行")


def _competition():
    return Competition.objects.create(title="宪法知识竞赛", description="面向全区居民")


@pytest.mark.parametrize(
    ("make", "path", "field", "limit"),
    [
        (lambda: _rule(CertificateRule), "certificaterule", "note", certificates.MAX_RULE_NOTE),
        (lambda: _rule(CertificationExamRule), "certificationexamrule", "note", exam_format.MAX_RULE_NOTE),
        (_point, "knowledgepoint", "description", bank.MAX_POINT_DESCRIPTION),
        (_competition, "competition", "description", competitions.MAX_DESCRIPTION),
    ],
    ids=["执法证规则", "执法资格考试规则", "知识点", "法律竞赛"],
)
def test_an_admin_text_over_its_limit_is_refused_and_nothing_changes(
    admin_client,  # noqa: F811
    make,
    path,
    field,
    limit,
):
    obj = make()
    before = getattr(obj, field)
    url = f"/admin/exams/{path}/{obj.pk}/change/"
    data = shown_values(admin_client, url)
    response = admin_client.post(url, data | {field: "说" * (limit + 1)})
    assert refused(response, field) == [f"说明不能超过 {limit:,} 个字（当前 {limit + 1:,} 个字）。"]
    obj.refresh_from_db()
    assert getattr(obj, field) == before
    saved = admin_client.post(url, data | {field: "说" * limit})
    assert saved.status_code == 302
    obj.refresh_from_db()
    assert getattr(obj, field) == "说" * limit


def test_a_knowledge_point_with_a_long_description_is_not_added(admin_client):  # noqa: F811
    data = shown_values(admin_client, "/admin/exams/knowledgepoint/add/")
    limit = bank.MAX_POINT_DESCRIPTION
    response = admin_client.post(
        "/admin/exams/knowledgepoint/add/", data | {"name": "政府采购法", "description": "说" * (limit + 1)}
    )
    assert refused(response, "description")
    assert not KnowledgePoint.objects.filter(name="政府采购法").exists()
