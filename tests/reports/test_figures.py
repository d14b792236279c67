"""Each figure equals a count computed here from records created through the other apps' models."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from fazhi.reports import figures as figs
from tests.reports.conftest import LAST, THIS, TODAY, at, early


def collect(unit: str = "", year: int = THIS) -> dict[str, figs.Figure]:
    return figs.collect(figs.Context(year=year, unit=unit, today=TODAY)).by_key()


def values(found: dict[str, figs.Figure], prefix: str) -> dict[str, object]:
    return {k: f.value for k, f in found.items() if k.startswith(prefix)}


def test_review_figures_follow_the_ledger(drafts):
    found = collect()
    this_year = [d for d in drafts.values() if d.submitted_at and d.submitted_at.year == THIS]
    published = [d for d in drafts.values() if d.published_on and d.published_on.year == THIS]
    reviewed_first = [d for d in published if d.decided_at and d.outcome == "审查通过"]
    decided = [d for d in drafts.values() if d.decided_at and d.decided_at.year == THIS]
    assert found["review.submitted"].value == len(this_year) == 3
    assert found["review.reviewed"].value == len(decided) == 2
    assert found["review.published"].value == len(published) == 2
    assert found["review.published_after_review"].value == len(reviewed_first) == 1
    assert found["review.coverage_rate"].value == 50.0
    assert found["review.average_days"].value == (3 + 5) / 2
    assert found["review.overdue"].value == 1
    assert found["review.major"].value == 1
    assert found["review.valid_until_next"].value == 1
    titles = {r["title"] for r in found["review.published"].rows()}
    assert titles == {"规范性文件一", "未经审查公布的文件"}


def test_numbering_and_filing_rates_count_this_years_published_normative_documents(drafts):
    from fazhi.review.models import Draft

    d1, d2 = drafts["d1"], drafts["d2"]
    deadline = d1.published_on + dt.timedelta(days=15)
    Draft.objects.filter(pk=d1.pk).update(
        doc_number="阳财规〔2026〕1号", filing_deadline=deadline, filed_on=deadline
    )
    Draft.objects.filter(pk=d2.pk).update(
        filing_deadline=deadline,
        filed_on=deadline + dt.timedelta(days=1),  # one day late
    )
    found = collect()
    assert found["review.normative_numbered_rate"].value == 50.0
    assert found["review.filed_in_time_rate"].value == 50.0
    rows = {r["title"]: r for r in found["review.normative_numbered_rate"].rows()}
    assert (
        rows["规范性文件一"]["doc_number"] == "阳财规〔2026〕1号"
        and rows["未经审查公布的文件"]["doc_number"] == ""
    )
    # A year without any published normative document has no rate, rather than 0%.
    assert collect(year=THIS + 1)["review.filed_in_time_rate"].value is None


def test_review_figures_respect_the_unit(drafts):
    found = collect(unit="预算科")
    assert found["review.submitted"].value == 1
    assert found["review.published"].value == 0
    assert found["review.coverage_rate"].value is None
    assert found["review.coverage_rate"].display == "无数据"
    # The bureau's own name means the whole bureau.
    assert collect(unit=figs.org_name())["review.submitted"].value == 3


def test_last_years_drafts_are_counted_in_their_own_year(drafts):
    found = collect(year=LAST)
    assert found["review.published"].value == 1
    assert found["review.coverage_rate"].value == 100.0


def test_policy_figures_count_publication_expiry_matches_and_subscriptions(enterprise):
    from fazhi.policies.models import EnterpriseProfile, Policy, PolicySubscription, Status

    # National, so open to every region (a policy whose region is unknown is not a full match), and for
    # 信息传输、软件和信息技术服务业 (a policy that states no condition is not a match for anyone).
    Policy.objects.create(
        title="信息技术企业政策",
        level="national",
        industries=["I"],
        published_date=early(2),
        effective_to=dt.date(THIS + 1, 1, 31),
    )
    Policy.objects.create(title="只限制造业", published_date=early(3), industries=["C"])
    Policy.objects.create(
        title="已失效政策", published_date=dt.date(LAST, 2, 1), status=Status.EXPIRED, effective_to=early(1)
    )
    Policy.objects.create(
        title="申报已截止", published_date=dt.date(LAST, 3, 1), apply_end=dt.date(LAST, 4, 1)
    )
    EnterpriseProfile.objects.create(
        owner=enterprise, name="某软件公司", industry="软件和信息技术服务业", industry_section="I"
    )
    PolicySubscription.objects.create(user=enterprise, themes=["稳岗"])
    PolicySubscription.objects.create(user=enterprise, industries=["I"], active=False)
    found = collect()
    assert found["policies.published"].value == 2
    assert found["policies.expiring"].value == 1
    assert found["policies.expiring_next"].value == 1
    assert found["policies.profiles"].value == 1
    # Of the policies in force only 信息技术企业政策 admits a software company (the other is for 制造业;
    # 申报已截止 is in force but its window closed and states no condition).
    assert found["policies.matches"].value == 1
    assert [r["policy"] for r in found["policies.matches"].rows()] == ["信息技术企业政策"]
    assert found["policies.matched_enterprises"].value == 1
    # The drill-down lists enterprises, as many as the figure counts (it listed every pair before).
    matched = found["policies.matched_enterprises"]
    assert matched.basis_count == 1
    assert matched.rows() == [{"enterprise": "某软件公司", "count": 1, "policies": "信息技术企业政策"}]
    assert found["policies.subscriptions"].value == 2
    assert found["policies.subscriptions_active"].value == 1


def test_law_figures_count_added_versions_and_status_corrections(reviewer):
    from fazhi.laws import services
    from fazhi.laws.models import Law, LawVersion

    law = Law.objects.create(title="测试条例", norm_title="测试条例", level="local_regulation")
    v1 = LawVersion.objects.create(law=law, text="第一条 测试。", text_hash="a", source="import")
    LawVersion.objects.create(law=law, text="第一条 修改。", text_hash="b", source="manual", version_index=2)
    old = LawVersion.objects.create(law=law, text="旧", text_hash="c", version_index=3)
    LawVersion.objects.filter(pk=old.pk).update(created_at=at(LAST, 6, 1))
    services.correct_status(user=reviewer, version=v1, status="repealed", basis="", reason="依据废止决定更正")
    found = collect()
    # Only the text entered by hand is the bureau's work; the imported one is counted apart.
    assert found["laws.added"].value == 1
    assert found["laws.added_manual"].value == 1
    assert (found["laws.imported"].value, found["laws.imported"].is_work) == (1, False)
    assert found["laws.corrected"].value == 1
    row = found["laws.corrected"].rows()[0]
    assert (row["before"], row["after"]) == ("有效", "已废止")


def test_publicity_figures_measure_activities_against_the_responsibility_list(clerk):
    from fazhi.cases.models import Case, CaseStatus
    from fazhi.publicity.models import (
        Activity,
        ItemStatus,
        Post,
        PostStatus,
        ResponsibilityItem,
        ResponsibilityList,
    )

    Case.objects.create(
        title="案例一", category="procurement", status=CaseStatus.PUBLISHED, published_at=at(THIS, 1, 5)
    )
    Case.objects.create(title="草稿案例", category="procurement")
    Post.objects.create(title="普法文章", status=PostStatus.PUBLISHED, published_at=at(THIS, 1, 6))
    Post.objects.create(title="去年文章", status=PostStatus.PUBLISHED, published_at=at(LAST, 1, 6))
    lst = ResponsibilityList.objects.create(year=THIS, department="法规科")
    other = ResponsibilityList.objects.create(year=THIS, department="采购科")
    done = ResponsibilityItem.objects.create(
        responsibility_list=lst,
        law_title="预算法",
        audiences="预算单位",
        planned_activity="讲座",
        status=ItemStatus.DONE,
    )
    ResponsibilityItem.objects.create(
        responsibility_list=lst, law_title="民法典", audiences="干部", planned_activity="展板"
    )
    ResponsibilityItem.objects.create(
        responsibility_list=other,
        law_title="政府采购法",
        audiences="供应商",
        planned_activity="培训",
        status=ItemStatus.IN_PROGRESS,
    )
    day = early(1, 8)
    Activity.objects.create(
        title="预算法讲座",
        department="法规科",
        date=day,
        place="会议室",
        form="lecture",
        audience_count=50,
        item=done,
    )
    Activity.objects.create(
        title="宪法日咨询",
        department="采购科",
        date=day,
        place="广场",
        form="consultation",
        audience_count=30,
    )
    Activity.objects.create(
        title="去年活动",
        department="法规科",
        date=dt.date(LAST, 12, 4),
        place="广场",
        form="consultation",
        audience_count=999,
    )
    found = collect()
    assert found["publicity.cases"].value == 1
    assert found["publicity.posts"].value == 1
    assert found["publicity.activities"].value == 2
    assert found["publicity.audience"].value == 50 + 30
    assert found["publicity.activities_on_list"].value == 1
    assert found["publicity.list_items"].value == 3
    assert found["publicity.items_done"].value == 1
    assert found["publicity.items_with_activity"].value == 1
    assert found["publicity.items_open"].value == 2
    assert found["publicity.completion_rate"].value == round(100 / 3, 1)
    unit = collect(unit="法规科")
    assert (unit["publicity.activities"].value, unit["publicity.audience"].value) == (1, 50)
    assert unit["publicity.completion_rate"].value == 50.0


def test_exam_figures_count_exams_passes_training_and_certified_share(exam_results):
    found = collect()
    assert found["exams.held"].value == 1
    assert found["exams.attempts"].value == 2  # u3 never handed in
    assert found["exams.passed"].value == 1
    assert found["exams.pass_rate"].value == 50.0
    assert found["exams.trainings"].value == 2
    assert "6.5 学时" in found["exams.trainings"].source_description
    # Enforcement posts: u1, u2, u3 (the office clerk's certificate does not count); only u1 holds a valid one.
    assert (found["exams.certified"].value, found["exams.uncertified"].value) == (1, 2)
    assert found["exams.share"].value == round(100 / 3, 1)
    # In January u2's certificate was not yet suspended.
    assert found["exams.share.01"].value == round(200 / 3, 1)
    assert found["exams.certificates_expiring_next"].value == 1
    unit = collect(unit="执法一科")
    assert unit["exams.share"].value == 50.0
    assert unit["exams.attempts"].value == 2


def test_bidding_figures_count_evaluated_projects_by_region(buyer):
    from fazhi.bidding.models import Project, Site, Status

    host = Site.objects.create(name="阳新县公共资源交易中心", region="湖北省阳新县")
    jiujiang = Site.objects.create(name="九江市公共资源交易中心", region="江西省九江市")

    def project(code: str, status: str, start: dt.datetime, purchaser: str = "区财政局"):
        return Project.objects.create(
            code=code,
            name=f"项目{code}",
            purchaser=purchaser,
            budget=Decimal("1000000"),
            category="goods",
            method="open_tender",
            evaluation_method="comprehensive",
            committee_size=5,
            host_site=host,
            evaluation_start=start,
            names_reveal_at=start,
            status=status,
        )

    project("P1", Status.CONFIRMED, at(THIS, 1, 9)).assist_sites.add(jiujiang)
    project("P2", Status.EVALUATED, at(THIS, 1, 10), purchaser="区教育局")
    project("P3", Status.DRAWN, at(THIS, 1, 11)).assist_sites.add(jiujiang)
    project("P4", Status.CONFIRMED, at(LAST, 7, 23)).assist_sites.add(jiujiang)
    found = collect()
    assert found["bidding.projects"].value == 2
    assert found["bidding.with_assist"].value == 1
    regions = {f.label: f.value for k, f in found.items() if k.startswith("bidding.region.")}
    assert regions == {"湖北省阳新县参与评标的项目": 2, "江西省九江市参与评标的项目": 1}
    assert collect(unit="区教育局")["bidding.projects"].value == 1


def test_bidders_whose_declared_size_the_300_table_contradicts_are_counted(buyer):
    from fazhi.bidding.models import Bidder, Project, Site, Status

    host = Site.objects.create(name="汉阳区公共资源交易中心", region="武汉市汉阳区")
    start = at(THIS, 3, 9)

    def project(code: str, status: str, industry: str):
        return Project.objects.create(
            code=code, name=f"项目{code}", purchaser="区财政局", budget=Decimal("1000000"), category="goods",
            method="open_tender", evaluation_method="comprehensive", committee_size=5, host_site=host,
            evaluation_start=start, names_reveal_at=start, status=status, sme_industry=industry,
        )  # fmt: skip

    def bidder(p, name: str, size: str, employees: int, revenue: str):
        return Bidder.objects.create(
            project=p, name=name, bid_price=Decimal("900000"), sme_declaration=True, sme_size=size,
            declared_employees=employees, declared_revenue=Decimal(revenue),
        )  # fmt: skip

    done = project("S1", Status.CONFIRMED, "software")
    bidder(done, "虚报小型", "small", 150, "2000")  # software: ≥ 100 and ≥ 1000万元 is medium
    bidder(done, "属实小型", "small", 50, "500")
    bidder(project("S2", Status.DRAWN, "software"), "未评完", "small", 150, "2000")  # not evaluated yet
    bidder(project("S3", Status.CONFIRMED, ""), "未设行业", "small", 150, "2000")  # nothing to check
    found = collect()["bidding.size_mismatches"]
    assert found.value == 1
    assert found.rows() == [
        {"code": "S1", "bidder": "虚报小型", "industry": "软件和信息技术服务业", "claimed": "小型企业",
         "computed": "中型企业"},
    ]  # fmt: skip


def test_performance_figures_count_grades_of_approved_evaluations(db):
    from fazhi.performance.models import BudgetUnit, KeyEvaluation, Project, SelfEvaluation, Status

    edu = BudgetUnit.objects.create(name="区教育局", code="jyj")
    health = BudgetUnit.objects.create(name="区卫健局", code="wjj")

    def evaluation(unit, code, grade, status, year=THIS):
        project = Project.objects.create(unit=unit, year=year, code=code, name=f"项目{code}")
        SelfEvaluation.objects.create(project=project, grade=grade, status=status, total_score=Decimal("90"))
        return project

    p1 = evaluation(edu, "A", "优", Status.PUBLISHED)
    evaluation(edu, "B", "良", Status.APPROVED)
    evaluation(health, "C", "差", Status.APPROVED)
    evaluation(health, "D", "优", Status.DRAFT)  # not yet a result
    evaluation(health, "E", "优", Status.PUBLISHED, year=LAST)
    KeyEvaluation.objects.create(project=p1, score=Decimal("75"), grade="中", findings="问题", is_final=True)
    KeyEvaluation.objects.create(project=p1, score=Decimal("95"), grade="优", findings="草稿")
    found = collect()
    assert found["performance.self_evaluations"].value == 3
    grades = {f.label: f.value for k, f in found.items() if k.startswith("performance.grade.")}
    assert grades == {
        "绩效自评等级为“优”": 1,
        "绩效自评等级为“良”": 1,
        "绩效自评等级为“中”": 0,
        "绩效自评等级为“差”": 1,
    }
    assert found["performance.key_evaluations"].value == 1
    assert found["performance.key_grade.3"].value == 1
    assert collect(unit="区教育局")["performance.self_evaluations"].value == 2


def test_a_provider_whose_app_lacks_a_model_is_skipped_not_fatal(monkeypatch, db):
    from fazhi.reports.figures import bidding

    def broken(ctx):
        raise LookupError("No installed app with label 'bidding'.")

    monkeypatch.setattr(bidding, "figures", broken)
    collected = figs.collect(figs.Context(year=THIS, today=TODAY))
    assert collected.unavailable == ["远程异地评标"]
    assert any(f.key == "review.submitted" for f in collected.figures)


@pytest.mark.parametrize("key", ["nope", "review.nope", "bidding"])
def test_an_unknown_figure_is_not_found(key, db):
    assert figs.find(figs.Context(year=THIS, today=TODAY), key) is None


def test_every_provider_runs_against_the_real_apps(db):
    collected = figs.collect(figs.Context(year=THIS, today=TODAY))
    assert collected.unavailable == []
    assert {f.section for f in collected.figures} == {p.title for p in figs.PROVIDERS}


def test_every_policy_figure_lists_as_many_records_as_it_says_it_is_based_on(enterprise):
    from fazhi.policies.models import EnterpriseProfile, Policy

    Policy.objects.create(
        title="信息技术企业政策", level="national", industries=["I"], published_date=early(2)
    )
    Policy.objects.create(title="软件企业政策", level="national", industries=["I"], published_date=early(3))
    EnterpriseProfile.objects.create(
        owner=enterprise, name="某软件公司", industry="软件和信息技术服务业", industry_section="I"
    )
    found = collect()
    checked = 0
    for key, figure in found.items():
        if key.startswith("policies.") and figure.records is not None and figure.basis_count is not None:
            assert len(figure.rows()) == figure.basis_count, key
            checked += 1
    assert checked >= 5
    assert found["policies.matched_enterprises"].rows()[0]["count"] == 2


def test_a_candidate_outside_the_staff_registry_is_listed_with_the_accounts_department(exam_results, clerk):
    from fazhi.exams.models import Attempt

    clerk.department = "办公室"
    clerk.save()
    opens = exam_results.opens_at
    Attempt.objects.create(
        exam=exam_results,
        user=clerk,
        seed=2,
        started_at=opens,
        deadline=opens + dt.timedelta(hours=2),
        submitted_at=opens + dt.timedelta(hours=1),
        score=Decimal("70"),
        passed=True,
    )
    rows = collect()["exams.attempts"].rows()
    assert [r["department"] for r in rows if r["department"] == "办公室"] == ["办公室"]


def test_contract_publication_figures(buyer):
    from fazhi.bidding.models import Project, Site, Status
    from fazhi.bidding.services.contracts import contract_deadline

    host = Site.objects.create(name="阳新县公共资源交易中心", region="湖北省阳新县")

    def project(code: str, signed: dt.date, published: dt.date | None):
        start = at(signed.year, signed.month, 1)
        return Project.objects.create(
            code=code,
            name=f"项目{code}",
            purchaser="区财政局",
            budget=Decimal("1000000"),
            category="goods",
            method="open_tender",
            evaluation_method="comprehensive",
            committee_size=5,
            host_site=host,
            evaluation_start=start,
            names_reveal_at=start,
            status=Status.CONFIRMED,
            contract_signed_on=signed,
            contract_published_on=published,
        )

    on_time = project("C1", dt.date(THIS, 1, 5), None)
    due = contract_deadline(on_time).publish_due
    Project.objects.filter(pk=on_time.pk).update(contract_published_on=due)
    late = project("C2", dt.date(THIS, 1, 5), None)
    Project.objects.filter(pk=late.pk).update(contract_published_on=due + dt.timedelta(days=1))
    project("C3", dt.date(THIS, 1, 6), None)  # not published at all
    project("C4", dt.date(LAST, 6, 1), dt.date(LAST, 6, 2))  # last year's
    found = collect()
    assert found["bidding.contracts"].value == 3
    assert found["bidding.contracts_on_time_rate"].value == round(100 / 3, 1)
    rows = {r["code"]: r["on_time"] for r in found["bidding.contracts_on_time_rate"].rows()}
    assert rows == {"C1": "是", "C2": "否", "C3": "否（逾期未公告）"}


def test_budget_and_final_accounts_disclosure_figures(director):
    from fazhi.performance.models import BudgetUnit, Publication

    units = [BudgetUnit.objects.create(code=f"90{i}", name=f"测试单位{i}") for i in range(3)]
    approved = dt.date(THIS, 1, 2)
    # Budgets of this year: one on time (day 20), one late (day 21), one unpublished.
    for unit, published in zip(
        units, (approved + dt.timedelta(days=20), approved + dt.timedelta(days=21), None)
    ):
        Publication.objects.create(unit=unit, year=THIS, budget_approved_on=approved, published_on=published)
    # Final accounts approved this year for last year's budget: one, published on time.
    Publication.objects.create(
        unit=units[0],
        year=LAST,
        budget_approved_on=dt.date(LAST, 1, 20),
        published_on=dt.date(LAST, 1, 30),
        final_accounts_approved_on=approved,
        final_accounts_published_on=approved + dt.timedelta(days=3),
    )
    found = collect()
    assert found["performance.budget_on_time_rate"].value == round(100 / 3, 1)
    assert found["performance.budget_on_time_rate"].basis_count == 3
    assert found["performance.final_accounts_on_time_rate"].value == 100.0
    assert collect(unit="测试单位1")["performance.budget_on_time_rate"].value == 0.0


def test_legal_specialist_figures_count_valid_qualifications_of_staff_in_post(db):
    from fazhi.exams.models import Qualification
    from tests.reports.conftest import staff

    year_end = min(dt.date(THIS, 12, 31), TODAY)
    a = staff("q1", "甲", "法规科").staff_profile
    b = staff("q2", "乙", "执法一科").staff_profile
    gone = staff("q3", "丙", "法规科").staff_profile
    gone.is_active = False
    gone.save()
    Qualification.objects.create(
        profile=a, kind="legal_a", number="A2019001", obtained_on=dt.date(2019, 3, 1)
    )
    Qualification.objects.create(
        profile=a, kind="public_lawyer", number="GZ001", obtained_on=dt.date(2020, 5, 1)
    )
    Qualification.objects.create(
        profile=b,
        kind="legal_adviser",
        number="聘〔2021〕3号",
        obtained_on=dt.date(2021, 1, 1),
        expires_on=year_end - dt.timedelta(days=1),  # expired before the report's date
    )
    Qualification.objects.create(
        profile=b, kind="legal_c", number="C2022009", obtained_on=year_end + dt.timedelta(days=1)
    )
    Qualification.objects.create(
        profile=gone, kind="legal_a", number="A2018002", obtained_on=dt.date(2018, 1, 1)
    )
    found = collect()
    people = found["exams.legal_specialists"]
    assert (people.value, people.basis_count) == (1, 2)  # 甲 holds two; 乙's are expired or not yet obtained
    assert [r["kind"] for r in people.records()] == ["法律职业资格（A证）", "公职律师证"]
    assert (
        found["exams.qualifications.legal_a"].value == 1
        and found["exams.qualifications.legal_adviser"].value == 0
    )
    assert found["exams.qualifications.other"].label == "其他法律专业资格"
    assert collect(unit="执法一科")["exams.legal_specialists"].value == 0
