"""按期率 (备案, 合同公告, 预算决算公开) rest on what was due by the report's cut-off: what is not yet due
is reported apart, and with nothing due there is no rate (不适用), neither 0 % nor 100 %."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from types import SimpleNamespace

from docx import Document

from fazhi.core.dates import cn_date
from fazhi.reports import annual
from fazhi.reports import figures as figs
from tests.reports.conftest import LAST, THIS, TODAY, at

DAY = dt.timedelta(days=1)


def collect(year: int = THIS, unit: str = "") -> dict[str, figs.Figure]:
    return figs.collect(figs.Context(year=year, unit=unit, today=TODAY)).by_key()


def normative(clerk, title: str, published: dt.date, deadline: dt.date, filed: dt.date | None = None):
    from fazhi.review.models import Draft, State

    return Draft.objects.create(
        title=title, doc_type="normative", is_normative=True, unit="法规科", drafter=clerk,
        state=State.PUBLISHED, published_on=published, filing_deadline=deadline, filed_on=filed,
    )  # fmt: skip


def test_the_helper_counts_only_what_was_due_or_done_by_the_cut_off():
    cutoff = dt.date(2026, 12, 7)
    item = SimpleNamespace
    on_time = item(due=dt.date(2026, 11, 1), done=dt.date(2026, 10, 30))
    late = item(due=dt.date(2026, 11, 1), done=dt.date(2026, 11, 2))
    missed = item(due=dt.date(2026, 11, 1), done=None)
    early = item(due=dt.date(2026, 12, 22), done=dt.date(2026, 12, 1))  # done before its deadline: counts
    waiting = item(due=dt.date(2026, 12, 22), done=None)
    last_day = item(due=cutoff, done=None)  # the deadline is today: still time
    unknown = item(due=None, done=None)  # no deadline recorded: cannot be shown to be on time
    split = figs.timeliness(
        [on_time, late, missed, early, waiting, last_day, unknown],
        deadline=lambda i: i.due,
        done=lambda i: i.done,
        cutoff=cutoff,
    )
    assert split.due == [on_time, late, missed, early, unknown]
    assert split.on_time == [on_time, early]
    assert split.pending == [waiting, last_day]
    assert split.rate == 40.0
    assert (
        figs.timeliness([waiting], deadline=lambda i: i.due, done=lambda i: i.done, cutoff=cutoff).rate
        is None
    )


def test_a_document_not_yet_due_is_not_late_and_gives_no_rate(clerk):
    normative(clerk, "刚公布的文件", TODAY, TODAY + 15 * DAY)
    rate = collect()["review.filed_in_time_rate"]
    assert rate.value is None and rate.basis_count == 0
    assert rate.display == "—（不适用，没有已到期限的）"
    assert rate.note == f"另有 1 件未到备案期限（截至{cn_date(TODAY)}），不计入"


def test_the_rate_rests_on_the_documents_due_by_the_end_of_a_past_year(clerk):
    normative(clerk, "按期备案", dt.date(LAST, 3, 1), dt.date(LAST, 3, 16), dt.date(LAST, 3, 10))
    normative(clerk, "逾期未备案", dt.date(LAST, 5, 1), dt.date(LAST, 5, 16))
    # Published at the end of the year, due in January: not due at the cut-off (31 December), though filed
    # late since then.
    normative(clerk, "年底公布", dt.date(LAST, 12, 28), dt.date(THIS, 1, 12), dt.date(THIS, 1, 20))
    rate = collect(year=LAST)["review.filed_in_time_rate"]
    assert (rate.value, rate.basis_count) == (50.0, 2)
    assert {r["title"] for r in rate.rows()} == {"按期备案", "逾期未备案"}
    assert rate.note == f"另有 1 件未到备案期限（截至{LAST}年12月31日），不计入"


def test_contracts_not_yet_due_for_publication_are_not_late(buyer):
    from fazhi.bidding.models import Project, Site, Status

    host = Site.objects.create(name="阳新县公共资源交易中心", region="湖北省阳新县")
    start = at(TODAY.year, TODAY.month, TODAY.day)
    Project.objects.create(
        code="C9", name="今天签订的合同", purchaser="区财政局", budget=Decimal("1000000"), category="goods",
        method="open_tender", evaluation_method="comprehensive", committee_size=5, host_site=host,
        evaluation_start=start, names_reveal_at=start, status=Status.CONFIRMED, contract_signed_on=TODAY,
    )  # fmt: skip
    found = collect()
    assert found["bidding.contracts"].value == 1
    rate = found["bidding.contracts_on_time_rate"]
    assert rate.value is None and rate.note.startswith("另有 1 份未到公告期限")
    assert found["bidding.contracts"].rows()[0]["on_time"] == "未到公告期限"


def test_a_budget_approved_today_is_not_late_for_disclosure(db):
    from fazhi.performance.models import BudgetUnit, Publication

    unit = BudgetUnit.objects.create(code="991", name="测试单位")
    Publication.objects.create(unit=unit, year=THIS, budget_approved_on=TODAY)
    rate = collect()["performance.budget_on_time_rate"]
    assert rate.value is None and rate.note.startswith("另有 1 个预算未到公开期限")
    assert collect()["performance.final_accounts_on_time_rate"].note == ""  # nothing approved, nothing said


def test_the_annual_report_says_not_applicable_and_keeps_it_out_of_the_problems(director, login, clerk):
    normative(clerk, "刚公布的文件", TODAY, TODAY + 15 * DAY)
    data = login(director).get(f"/reports/annual.docx?year={THIS}").content
    paragraphs = [p.text for p in Document(io.BytesIO(data)).paragraphs]
    line = next(p for p in paragraphs if p.startswith("规范性文件按期备案率"))
    assert "：—（不适用，没有已到期限的）。" in line and "另有 1 件未到备案期限" in line
    assert "0%" not in line and "100%" not in line
    problems = "\n".join(paragraphs).split(annual.HEADINGS[2])[1].split(annual.HEADINGS[3])[0]
    assert "按期备案率" not in problems


def test_the_dashboard_shows_the_rate_as_not_applicable(director, login, clerk):
    normative(clerk, "刚公布的文件", TODAY, TODAY + 15 * DAY)
    html = login(director).get(f"/reports/?year={THIS}").content.decode()
    assert "—（不适用，没有已到期限的）" in html and "另有 1 件未到备案期限" in html
