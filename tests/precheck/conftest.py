"""Precheck fixtures: a few laws of the library, built directly (not the full import).

Texts are the real articles the rule examples cite (预算法 Art 14, 政府采购法实施条例 Art 20 and 33);
the last article of each law is there so "beyond the last article" can be decided.
"""

from __future__ import annotations

import datetime as dt

import pytest

from fazhi.laws.models import Article, Law, LawVersion, Level, Status

BUDGET_14 = [
    "经本级人民代表大会或者本级人民代表大会常务委员会批准的预算、预算调整、决算、预算执行情况的报告及报表，"
    "应当在批准后二十日内由本级政府财政部门向社会公开，并对本级政府财政转移支付安排、执行的情况以及举借债务的情况等重要事项作出说明。",
    "经本级政府财政部门批复的部门预算、决算及报表，应当在批复后二十日内由各部门向社会公开，"
    "并对部门预算、决算中机关运行经费的安排、使用情况等重要事项作出说明。",
    "各级政府、各部门、各单位应当将政府采购的情况及时向社会公开。",
    "本条前三款规定的公开事项，涉及国家秘密的除外。",
]
PROCUREMENT_20_ITEMS = [
    "（一）就同一采购项目向供应商提供有差别的项目信息；",
    "（二）设定的资格、技术、商务条件与采购项目的具体特点和实际需要不相适应或者与合同履行无关；",
    "（三）采购需求中的技术、服务等要求指向特定供应商、特定产品；",
    "（四）以特定行政区域或者特定行业的业绩、奖项作为加分条件或者中标、成交条件；",
    "（五）对供应商采取不同的资格审查或者评审标准；",
    "（六）限定或者指定特定的专利、商标、品牌或者供应商；",
    "（七）非法限定供应商的所有制形式、组织形式或者所在地；",
    "（八）以其他不合理条件限制或者排斥潜在供应商。",
]
PROCUREMENT_33 = [
    "招标文件要求投标人提交投标保证金的，投标保证金不得超过采购项目预算金额的2%。"
    "投标保证金应当以支票、汇票、本票或者金融机构、担保机构出具的保函等非现金形式提交。"
    "投标人未按照招标文件要求提交投标保证金的，投标无效。",
]


def _law(title: str, level: str, short: str) -> Law:
    from fazhi.laws.citations import normalize_title

    return Law.objects.create(title=title, short_name=short, norm_title=normalize_title(title), level=level)


def _version(
    law: Law, day: dt.date, status: str = Status.IN_FORCE, latest: bool = True, basis: str = ""
) -> LawVersion:
    return LawVersion.objects.create(
        law=law,
        publish_date=day,
        status=status,
        status_basis=basis,
        is_latest=latest,
        text="（测试文本）",
        text_hash=f"{law.pk}-{day}",
    )


def _article(
    version: LawVersion,
    number: int,
    paragraphs: list[str] | None = None,
    suffix: int = 0,
    items: list[str] | None = None,
) -> Article:
    from fazhi.core.numerals import article_label

    paragraphs = paragraphs or [f"（第{number}条的条文）"]
    structure = [{"text": p, "items": []} for p in paragraphs]
    if items:
        structure[0]["items"] = items
    text = "\n".join(paragraphs + (items or []))
    return Article.objects.create(
        version=version,
        law=version.law,
        number=number,
        suffix=suffix,
        label=article_label(number, suffix),
        ordinal=number * 10 + suffix,
        text=text,
        paragraphs=structure,
    )


@pytest.fixture
def law_library(db):
    """预算法, 政府采购法实施条例, 刑法 (第一百二十条之一), 增值税暂行条例 (repealed), 会计法 (two versions)."""
    budget = _law("中华人民共和国预算法", Level.LAW, "预算法")
    v = _version(budget, dt.date(2018, 12, 29))
    _article(v, 1)
    _article(v, 14, BUDGET_14)
    _article(v, 101)

    regulation = _law("中华人民共和国政府采购法实施条例", Level.ADMIN_REGULATION, "政府采购法实施条例")
    v = _version(regulation, dt.date(2015, 1, 30))
    _article(
        v,
        20,
        ["采购人或者采购代理机构有下列情形之一的，属于以不合理的条件对供应商实行差别待遇或者歧视待遇："],
        items=PROCUREMENT_20_ITEMS,
    )
    _article(v, 33, PROCUREMENT_33)
    _article(v, 79)

    criminal = _law("中华人民共和国刑法", Level.LAW, "刑法")
    v = _version(criminal, dt.date(2023, 12, 29))
    _article(v, 120)
    _article(v, 120, ["（第一百二十条之一的条文）"], suffix=1)
    _article(v, 452)

    vat = _law("中华人民共和国增值税暂行条例", Level.ADMIN_REGULATION, "增值税暂行条例")
    v = _version(
        vat,
        dt.date(2017, 11, 19),
        status=Status.REPEALED,
        basis="known repeal: 《中华人民共和国增值税法》第三十八条",
    )
    _article(v, 15)
    _article(v, 28)

    accounting = _law("中华人民共和国会计法", Level.LAW, "会计法")
    old = _version(accounting, dt.date(2017, 11, 4), status=Status.AMENDED, latest=False)
    _article(old, 52)
    v = _version(accounting, dt.date(2024, 6, 28))
    _article(v, 1)
    _article(v, 51)
    return {
        "budget": budget,
        "regulation": regulation,
        "criminal": criminal,
        "vat": vat,
        "accounting": accounting,
    }
