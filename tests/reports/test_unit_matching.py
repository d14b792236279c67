"""The unit filter matches a unit's name exactly (after removing whitespace and full-width forms), and
a longer official name only through an explicit 单位名称对照 (UnitAlias), never by substring."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from fazhi.reports import figures as figs
from fazhi.reports import selectors
from tests.reports.conftest import THIS, TODAY, at, early, staff


def collect(unit: str) -> dict[str, figs.Figure]:
    return figs.collect(figs.Context(year=THIS, unit=unit, today=TODAY)).by_key()


def project(code: str, purchaser: str):
    from fazhi.bidding.models import Project, Site, Status

    host, _ = Site.objects.get_or_create(name="汉阳区公共资源交易中心", region="武汉市汉阳区")
    start = at(THIS, 1, 9)
    return Project.objects.create(
        code=code, name=f"项目{code}", purchaser=purchaser, budget=Decimal("1000000"), category="goods",
        method="open_tender", evaluation_method="comprehensive", committee_size=5, host_site=host,
        evaluation_start=start, names_reveal_at=start, status=Status.CONFIRMED,
    )  # fmt: skip


def test_names_are_compared_without_whitespace_or_full_width_forms():
    from fazhi.reports import units

    assert units.normalise(" 区 教育局　") == "区教育局"
    assert units.normalise("ＡＢ科") == "AB科"
    assert units.matching("区教育局", ["区教育局", "区 教育局", "武汉市汉阳区教育局", ""], {}) == [
        "区 教育局",
        "区教育局",
    ]


def test_a_unit_does_not_match_a_longer_name_that_contains_it(buyer):
    from fazhi.performance.models import BudgetUnit

    BudgetUnit.objects.create(name="区教育局", code="jyj")
    project("P1", "武汉市汉阳区教育局")
    project("P2", "区教育局")
    assert collect("区教育局")["bidding.projects"].value == 1
    assert collect("武汉市汉阳区教育局")["bidding.projects"].value == 1
    # Both names are units the dashboard offers until someone says they are one.
    assert {"区教育局", "武汉市汉阳区教育局"} <= set(selectors.unit_choices())


def test_an_alias_makes_the_official_name_the_same_unit_everywhere(buyer):
    from fazhi.performance.models import BudgetUnit
    from fazhi.reports.models import UnitAlias

    BudgetUnit.objects.create(name="区教育局", code="jyj")
    project("P1", "武汉市汉阳区教育局")
    UnitAlias.objects.create(name="武汉市汉阳区教育局", same_as="区教育局", reason="同一统一社会信用代码")
    assert collect("区教育局")["bidding.projects"].value == 1
    choices = selectors.unit_choices()
    assert "区教育局" in choices and "武汉市汉阳区教育局" not in choices
    # Asking for the recorded name gives the unit it stands for.
    assert selectors.parse_context(year=THIS, unit="武汉市汉阳区教育局").unit == "区教育局"


def test_review_publicity_and_performance_match_exact_names(clerk):
    from fazhi.performance.models import BudgetUnit, Project, SelfEvaluation, Status
    from fazhi.publicity.models import Activity
    from fazhi.review.models import Draft

    for unit in ("法规科", "法规科　", "综合法规科"):  # the second with a full-width space
        Draft.objects.create(title=unit, unit=unit, drafter=clerk, submitted_at=at(THIS, 1, 3))
    for dept in ("采购监督科", "政府采购监督科"):
        Activity.objects.create(
            title=dept, department=dept, date=early(1), place="会议室", form="lecture", audience_count=1
        )
    for name, code in (("区教育局", "a"), ("区教育局机关幼儿园", "b")):
        p = Project.objects.create(
            unit=BudgetUnit.objects.create(name=name, code=code), year=THIS, code=code, name=code
        )
        SelfEvaluation.objects.create(project=p, grade="优", status=Status.APPROVED, total_score=Decimal(90))
    assert collect("法规科")["review.submitted"].value == 2
    assert collect("采购监督科")["publicity.activities"].value == 1
    assert collect("区教育局")["performance.self_evaluations"].value == 1
    assert selectors.unit_choices().count("法规科") == 1
    assert selectors.parse_context(year=THIS, unit="法规科　").unit == "法规科"


def test_exam_figures_match_the_department_exactly(db):
    from fazhi.exams.models import EnforcementCertificate

    holder = staff("s1", "甲", "执法一科")
    staff("s2", "乙", "综合执法一科")
    EnforcementCertificate.objects.create(
        holder=holder, number="ZF-1", issued_on=dt.date(THIS - 1, 1, 1), expires_on=dt.date(THIS + 2, 1, 1)
    )
    found = collect("执法一科")
    assert (found["exams.certified"].value, found["exams.uncertified"].value) == (1, 0)
    assert [r["department"] for r in found["exams.share"].rows()] == ["执法一科"]


def test_a_name_inside_a_unit_name_is_not_a_unit_choice(director, login, clerk):
    from fazhi.review.models import Draft

    Draft.objects.create(title="甲", unit="法规科", drafter=clerk)
    response = login(director).get("/reports/", {"year": THIS, "unit": "规科"})
    assert response.status_code == 400 and "不在本平台记录的单位中" in response.content.decode()


def test_administrators_keep_the_aliases_in_the_admin(admin_client, db):
    response = admin_client.post(
        "/admin/reports/unitalias/add/",
        {"name": "武汉市汉阳区教育局", "same_as": "区教育局", "reason": "同一统一社会信用代码"},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    from fazhi.reports.models import UnitAlias

    assert str(UnitAlias.objects.get()) == "武汉市汉阳区教育局 → 区教育局"
    assert "区教育局" in admin_client.get("/admin/reports/unitalias/").content.decode()


def test_an_alias_to_itself_is_refused_in_chinese(admin_client, db):
    response = admin_client.post(
        "/admin/reports/unitalias/add/", {"name": "区教育局 ", "same_as": "区教育局"}
    )
    assert response.status_code == 200 and "无需对照" in response.content.decode()
