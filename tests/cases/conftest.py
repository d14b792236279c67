"""A small law library (two versions of one law) and case helpers for the case-library tests."""

from __future__ import annotations

import datetime as dt

import pytest

from fazhi.cases import services
from fazhi.laws.models import Article, Law, LawVersion, Level, Status

ART20 = (
    "采购人或者采购代理机构有下列情形之一的，属于以不合理的条件对供应商实行差别待遇或者歧视待遇："
    "（四）以特定行政区域或者特定行业的业绩、奖项作为加分条件或者中标、成交条件。"
)


def make_law(
    title: str, norm: str, articles: dict[int, str], *, old_version: bool = False
) -> tuple[Law, LawVersion]:
    law = Law.objects.create(title=title, short_name=norm, norm_title=norm, level=Level.ADMIN_REGULATION)
    if old_version:
        old = LawVersion.objects.create(
            law=law, publish_date=dt.date(2010, 1, 1), status=Status.AMENDED, is_latest=False, version_index=1,
            text="旧版", text_hash="old-" + norm,
        )  # fmt: skip
        for n, text in articles.items():
            Article.objects.create(
                version=old, law=law, number=n, label=f"第{n}条", ordinal=n, text="旧文：" + text
            )
    current = LawVersion.objects.create(
        law=law, publish_date=dt.date(2015, 1, 30), status=Status.IN_FORCE, is_latest=True, version_index=2,
        text="全文", text_hash="new-" + norm,
    )  # fmt: skip
    for n, text in articles.items():
        Article.objects.create(version=current, law=law, number=n, label=f"第{n}条", ordinal=n, text=text)
    return law, current


@pytest.fixture
def procurement_law(db):
    law, _ = make_law(
        "中华人民共和国政府采购法实施条例",
        "政府采购法实施条例",
        {20: ART20, 9: "在政府采购活动中，采购人员及相关人员与供应商有下列利害关系之一的，应当回避。"},
        old_version=True,
    )
    return law


@pytest.fixture
def make_case(clerk, procurement_law, django_capture_on_commit_callbacks):
    """make_case(title=..., publish=True, articles=[...], **fields) → a Case written through the services."""

    def _make(title: str = "某单位招标文件排斥外地企业", *, publish: bool = True, articles=None, **fields):
        data = {
            "title": title,
            "category": fields.pop("category", "政府采购"),
            "facts": fields.pop("facts", "招标文件要求供应商在本省设有售后服务机构。"),
            "decision": fields.pop("decision", "财政部门责令改正。"),
            "tags": fields.pop("tags", "差别待遇、典型案例"),
            "source_date": fields.pop("source_date", "2025-12-04"),
            **fields,
        }
        # Tests run inside one transaction: run the search outbox's after-commit callbacks now.
        with django_capture_on_commit_callbacks(execute=True):
            case = services.create_case(
                user=clerk,
                data=data,
                articles=articles
                if articles is not None
                else [{"law": "政府采购法实施条例", "article": "第二十条"}],
            )
            if publish:
                case = services.publish_case(user=clerk, case_id=case.pk)
        return case

    return _make
