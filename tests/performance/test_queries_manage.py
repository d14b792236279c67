"""Query counts of the 预算绩效 lists: they must not grow with the number of projects or publications."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fazhi.performance import rules
from fazhi.performance.api import serializers
from fazhi.performance.models import (
    BudgetUnit,
    CongressSubmission,
    Indicator,
    IndicatorResult,
    PerformanceTarget,
    Project,
    Publication,
    Remark,
    SelfEvaluation,
    Status,
)
from fazhi.performance.views.manage import PAGE_SIZE

API = "/api/v1/performance"


def add_projects(unit, count, *, year=2025, grade="良"):
    """`count` projects of `unit`, each with a target table and a graded, approved self-evaluation."""
    first = Project.objects.filter(unit=unit).count()
    for i in range(first, first + count):
        p = Project.objects.create(unit=unit, year=year, code=f"P-{i:03d}", name=f"批量项目{i:03d}")
        PerformanceTarget.objects.create(project=p, status=Status.APPROVED)
        SelfEvaluation.objects.create(
            project=p, grade=grade, total_score=Decimal("85"), status=Status.APPROVED
        )


def add_publications(unit, count):
    first = Publication.objects.filter(unit=unit).count()
    for i in range(first, first + count):
        Publication.objects.create(unit=unit, year=2000 + i, budget_approved_on=dt.date(2000 + i, 2, 1))


def count_queries(client, url, **kw):
    client.get(url, **kw)  # a first request may record things once (a token's first use)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **kw)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


@pytest.mark.django_db
def test_the_dashboard_reads_a_fixed_number_of_queries_and_pages_the_projects(login, director, unit):
    client = login(director)
    add_projects(unit, 2)
    few, r = count_queries(client, "/performance/manage/")
    assert "批量项目001" in r.content.decode()
    add_projects(unit, PAGE_SIZE + 8)
    many, r = count_queries(client, "/performance/manage/")
    page = r.content.decode()
    assert few == many
    assert "批量项目049" in page and "批量项目050" not in page
    assert "第 1 / 2 页" in page
    # The grade counts cover every project, not only the page shown.
    assert f"良：{PAGE_SIZE + 10} 个项目" in page
    second = client.get("/performance/manage/?page=2").content.decode()
    assert "批量项目050" in second and "批量项目059" in second and "批量项目049" not in second
    # A page past the last one, or an unreadable one, shows the last (first) page rather than an error.
    assert "批量项目059" in client.get("/performance/manage/?page=99").content.decode()
    assert "批量项目000" in client.get("/performance/manage/?page=abc").content.decode()


@pytest.mark.django_db
def test_the_dashboard_pager_keeps_the_filters(login, director, unit):
    add_projects(unit, PAGE_SIZE + 1, year=2024)
    add_projects(unit, 3, year=2023)
    page = login(director).get("/performance/manage/?year=2024").content.decode()
    assert "year=2024&amp;page=2" in page
    assert "共 51 个项目" in page


@pytest.mark.django_db
def test_the_unit_page_reads_a_fixed_number_of_queries(login, director, unit):
    client = login(director)
    url = f"/performance/manage/units/{unit.pk}/"
    add_projects(unit, 1)
    add_publications(unit, 1)
    Remark.objects.create(unit=unit, author=director, body="请按期公开")
    few, _ = count_queries(client, url)
    add_projects(unit, PAGE_SIZE + 5)
    add_publications(unit, 7)
    for _ in range(5):
        Remark.objects.create(unit=unit, author=director, body="请按期公开")
    many, r = count_queries(client, url)
    page = r.content.decode()
    assert few == many
    assert page.count("尚未公开") == 8  # every publication's deadline is shown
    assert "第 1 / 2 页" in page


@pytest.mark.django_db
def test_the_unit_page_reads_a_fixed_number_of_queries_however_many_final_accounts_and_submissions(
    login, director, unit
):
    client = login(director)
    url = f"/performance/manage/units/{unit.pk}/"

    def add_years(first, count):
        for year in range(first, first + count):
            Publication.objects.create(
                unit=unit,
                year=year,
                budget_approved_on=dt.date(year, 2, 1),
                final_accounts_approved_on=dt.date(year + 1, 7, 1),
            )
            CongressSubmission.objects.create(unit=unit, year=year, submitted_on=dt.date(year - 1, 12, 20))

    add_years(2001, 1)
    few, _ = count_queries(client, url)
    add_years(2002, 6)
    many, r = count_queries(client, url)
    page = r.content.decode()
    assert few == many
    assert page.count("决算尚未公开") == 7 and page.count("<td>决算</td>") == 7


@pytest.mark.django_db
def test_the_unit_page_lists_only_that_units_projects_across_pages(login, director, unit):
    other = BudgetUnit.objects.create(name="区卫健局", code="wjj")
    add_projects(unit, PAGE_SIZE + 2)
    Project.objects.create(unit=other, year=2025, code="W-1", name="卫健项目")
    page2 = login(director).get(f"/performance/manage/units/{unit.pk}/?page=2").content.decode()
    assert "批量项目050" in page2 and "批量项目051" in page2
    assert "卫健项目" not in page2


@pytest.mark.django_db
def test_the_publication_api_reads_the_scoring_rules_once(client, director, token_for, unit):
    headers = token_for(director)
    add_publications(unit, 1)
    few, _ = count_queries(client, f"{API}/publications", headers=headers)
    add_publications(unit, 9)
    many, r = count_queries(client, f"{API}/publications", headers=headers)
    assert len(r.json()) == 10
    assert all(p["message"].startswith("尚未公开") for p in r.json())
    assert few == many


def publish_tables(project):
    """A published target table with two indicators and a published self-evaluation scoring them."""
    target = PerformanceTarget.objects.create(project=project, status=Status.PUBLISHED)
    evaluation = SelfEvaluation.objects.create(project=project, status=Status.PUBLISHED, grade="优")
    for position, name in ((2, "满意度"), (1, "覆盖人数")):
        ind = Indicator.objects.create(
            target=target,
            position=position,
            level1="产出",
            level2="数量",
            name=name,
            direction=rules.GE,
            target_value="90",
            unit="%",
            weight=Decimal("10"),
        )
        IndicatorResult.objects.create(evaluation=evaluation, indicator=ind, actual_value="95")


@pytest.mark.django_db
def test_the_public_disclosure_api_reads_a_fixed_number_of_queries(client, unit):
    Publication.objects.create(
        unit=unit, year=2025, budget_approved_on=dt.date(2025, 2, 1), published_on=dt.date(2025, 2, 10)
    )
    url = f"{API}/public/disclosures/{unit.code}/2025"
    publish_tables(Project.objects.create(unit=unit, year=2025, code="D-000", name="公开项目0"))
    few, _ = count_queries(client, url)
    for i in range(1, 6):
        publish_tables(Project.objects.create(unit=unit, year=2025, code=f"D-{i:03d}", name=f"公开项目{i}"))
    many, r = count_queries(client, url)
    body = r.json()
    assert few == many
    assert len(body["projects"]) == 6
    first = body["projects"][0]
    assert [i["name"] for i in first["target"]["indicators"]] == ["覆盖人数", "满意度"]
    assert [r["indicator"] for r in first["evaluation"]["results"]] == ["覆盖人数", "满意度"]


@pytest.mark.django_db
def test_preloaded_tables_give_the_same_json_as_reading_them_again(unit):
    project = Project.objects.create(unit=unit, year=2025, code="D-000", name="公开项目0")
    publish_tables(project)
    Publication.objects.create(
        unit=unit, year=2025, budget_approved_on=dt.date(2025, 2, 1), published_on=dt.date(2025, 2, 10)
    )
    from fazhi.performance import selectors

    item = selectors.disclosure(unit_code=unit.code, year=2025).projects[0]
    assert serializers._target_out(project, item.target) == serializers._target_out(project)
    assert serializers._evaluation_out(project, item.evaluation) == serializers._evaluation_out(project)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/admin/performance/remark/", "/admin/performance/project/", "/admin/performance/selfevaluation/"]
)
def test_admin_lists_read_a_fixed_number_of_queries(login, director, unit, django_user_model, url):
    root = django_user_model.objects.create_superuser("root", "root@example.com", "x-pass-2026")
    client = login(root)
    add_projects(unit, 1)
    Remark.objects.create(unit=unit, project=Project.objects.first(), author=director, body="意见")
    few, _ = count_queries(client, url)
    add_projects(unit, 6)
    for p in Project.objects.all():
        Remark.objects.create(unit=unit, project=p, author=director, body="意见")
    many, r = count_queries(client, url)
    assert "批量项目006" in r.content.decode()
    assert few == many
