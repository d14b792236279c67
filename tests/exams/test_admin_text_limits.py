"""The exams app's texts written only in the admin (执法证规则、执法资格考试规则的说明, 知识点与法律竞赛的说明) are
refused over their limits with the Chinese message at the field, nothing saved; at the limit they are saved.
A 案例题's own 题干 and 解析 are held to the question bank's limits in the admin as in an import."""

from __future__ import annotations

import pytest

from fazhi.exams.models import CertificateRule, CertificationExamRule, Competition, KnowledgePoint
from fazhi.exams.services import bank, certificates, competitions, exam_format

from ..core.admin_change import (  # noqa: F401
    admin_client,
    assert_admin_text_limit,
    refused,
    shown_values,
    superuser,
)

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
    assert_admin_text_limit(admin_client, f"/admin/exams/{path}/{obj.pk}/change/", field, limit, "说明", obj)


def test_a_knowledge_point_with_a_long_description_is_not_added(admin_client):  # noqa: F811
    data = shown_values(admin_client, "/admin/exams/knowledgepoint/add/")
    limit = bank.MAX_POINT_DESCRIPTION
    response = admin_client.post(
        "/admin/exams/knowledgepoint/add/", data | {"name": "政府采购法", "description": "说" * (limit + 1)}
    )
    assert refused(response, "description")
    assert not KnowledgePoint.objects.filter(name="政府采购法").exists()


def _case():
    return bank.create_question(
        data={
            "type": "case",
            "stem": "某局作出行政处罚决定前未告知当事人陈述申辩的权利。",
            "explanation": "违反法定程序。",
            "sub_questions": [
                {"type": "判断", "stem": "该处罚决定程序合法。", "answer": "×"},
                {"type": "单选", "stem": "应当如何处理？", "options": ["撤销", "维持"], "answer": "A"},
            ],
        }
    )


@pytest.mark.parametrize(
    ("field", "limit", "label"),
    [("stem", bank.MAX_STEM, "题干"), ("explanation", bank.MAX_EXPLANATION, "解析")],
    ids=["题干", "解析"],
)
def test_a_case_questions_own_text_over_the_banks_limit_is_refused(admin_client, field, limit, label):  # noqa: F811
    case = _case()
    subs = list(case.sub_questions.order_by("position").values_list("stem", flat=True))
    assert_admin_text_limit(
        admin_client,
        f"/admin/exams/question/{case.pk}/change/",
        field,
        limit,
        label,
        case,
        also={"source": "改过的来源"},
        error_at="__all__",  # the bank's check, in the form's clean() as for every question
        fill="案",
    )
    assert list(case.sub_questions.order_by("position").values_list("stem", flat=True)) == subs
