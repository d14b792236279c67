"""合法性审查 figures, from the drafts behind the 应审尽审台账 and the 发文登记簿 (fazhi.review).

应审尽审率 compares what was issued with what was reviewed. When the 发文登记簿 holds entries of the year (for the
unit), the documents that needed review are its entries of a type that must be reviewed, not exempt, together
with the drafts published in the year that no entry records (a draft linked to an entry counts once, as that
entry); one is covered when linked to a draft approved on or before its issue day. A year without register
entries is counted from the published drafts alone, as before the register existed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import Q, QuerySet
from django.utils import timezone

from fazhi.reports.figures import (
    Column,
    Context,
    Figure,
    Rows,
    iso,
    listing,
    on_time_rate,
    person,
    rate,
    timeliness,
    unit_names,
)

SOURCE = "合法性审查台账（送审文稿）"

COLUMNS = [
    Column("title", "文稿标题"),
    Column("doc_type", "文书类型"),
    Column("unit", "起草单位"),
    Column("drafter", "起草人", personal="name"),
    Column("state", "状态"),
    Column("submitted_on", "首次提交"),
    Column("decided_on", "审查结论日期"),
    Column("outcome", "审查结论"),
    Column("days", "审查用时（工作日）"),
    Column("overdue", "超期"),
    Column("published_on", "公布日期"),
    Column("doc_number", "发文字号"),
    Column("filing_deadline", "备案期限"),
    Column("filed_on", "备案日期"),
    Column("valid_until", "有效期至"),
]


def _rows(drafts: list[Any]) -> Rows:
    from fazhi.core.workdays import Calendar
    from fazhi.review import selectors

    calendar = Calendar.load()
    return [
        {
            "_url": d.get_absolute_url(),
            "title": d.title,
            "doc_type": d.get_doc_type_display(),
            "unit": d.unit,
            "drafter": person(d.drafter),
            "state": d.get_state_display(),
            "submitted_on": iso(d.submitted_at),
            "decided_on": iso(d.decided_at),
            "outcome": d.outcome,
            "days": selectors.days_in_review(d, calendar=calendar),
            "overdue": "是" if selectors.is_overdue(d) else "否",
            "published_on": iso(d.published_on),
            "doc_number": d.doc_number,
            "filing_deadline": iso(d.filing_deadline),
            "filed_on": iso(d.filed_on),
            "valid_until": iso(d.valid_until),
        }
        for d in drafts
    ]


ISSUED_COLUMNS = [
    Column("title", "文件标题"),
    Column("doc_number", "发文字号"),
    Column("doc_type", "文书类型"),
    Column("unit", "发文单位"),
    Column("issued_on", "印发（公布）日期"),
    Column("source", "来源"),
    Column("review", "审查情况"),
    Column("decided_on", "审查结论日期"),
    Column("outcome", "审查结论"),
]
REGISTER = "发文登记簿"
UNREGISTERED = "送审文稿（未在发文登记簿中登记）"
REVIEWED = "已审查"
MISSED = "未审查（漏审）"


@dataclass(frozen=True)
class Issued:
    """A document issued in the year that needed a legality review: a register entry, or a published draft."""

    title: str
    doc_number: str
    doc_type: str
    unit: str
    issued_on: dt.date
    source: str
    draft: Any  # the Draft that covered it (or was meant to), or None
    reviewed: bool
    url: str


def _issued_rows(items: list[Issued]) -> Rows:
    return [
        {
            "_url": i.url,
            "title": i.title,
            "doc_number": i.doc_number,
            "doc_type": i.doc_type,
            "unit": i.unit,
            "issued_on": iso(i.issued_on),
            "source": i.source,
            "review": REVIEWED if i.reviewed else MISSED,
            "decided_on": iso(i.draft.decided_at) if i.draft else "",
            "outcome": i.draft.outcome if i.draft else "",
        }
        for i in items
    ]


def _from_draft(d: Any) -> Issued:
    return Issued(
        title=d.title,
        doc_number=d.doc_number,
        doc_type=d.get_doc_type_display(),
        unit=d.unit,
        issued_on=d.published_on,
        source=UNREGISTERED,
        draft=d,
        reviewed=published_after_review(d),
        url=d.get_absolute_url(),
    )


def issued_needing_review(ctx: Context, published: list[Any]) -> tuple[list[Issued], bool]:
    """The documents issued in the year that needed review, and whether the register was used (it holds
    entries of the year for the unit); without it, the published drafts (`published`)."""
    from fazhi.review.models import IssuedDocument
    from fazhi.review.register import selectors as register

    qs = (
        IssuedDocument.objects.select_related("draft")
        .filter(issued_on__year=ctx.year)
        .order_by("issued_on", "pk")
    )
    if ctx.unit_filter:
        qs = qs.filter(unit__in=unit_names(ctx, IssuedDocument, "unit"))
    entries = list(qs)
    if not entries:
        return [_from_draft(d) for d in published], False
    required = register.review_required_types()
    out = []
    for entry in entries:
        status = register.status_of(entry, required)
        if status not in (register.REVIEWED, register.MISSED):
            continue
        query = urlencode({"year": entry.issued_on.year, "q": entry.doc_number or entry.title})
        out.append(
            Issued(
                title=entry.title,
                doc_number=entry.doc_number,
                doc_type=entry.get_doc_type_display(),
                unit=entry.unit,
                issued_on=entry.issued_on,
                source=REGISTER,
                draft=entry.draft,
                reviewed=status == register.REVIEWED,
                url=f"/review/register/?{query}",
            )
        )
    # A draft any entry (of any year) records counts there, once; the others as published drafts.
    recorded = set(IssuedDocument.objects.exclude(draft=None).values_list("draft_id", flat=True))
    out += [_from_draft(d) for d in published if d.pk not in recorded]
    return out, True


def _year(value: Any) -> int | None:
    return timezone.localtime(value).year if value else None


def published_after_review(draft: Any) -> bool:
    """Published only after a legality review concluded 审查通过 (the numerator of 应审尽审率): the register's
    test of a document against its issue day, with the publication day as that day."""
    from fazhi.review.register.selectors import reviewed_before

    return draft.published_on is not None and reviewed_before(draft, draft.published_on)


def figures(ctx: Context) -> list[Figure]:
    from fazhi.review import selectors
    from fazhi.review.models import Draft, FairCompetitionReview, FairConclusion

    y = ctx.year
    # One query for every draft any figure of the year needs; partitioned below by local dates.
    base: QuerySet[Draft] = Draft.objects.select_related("drafter").order_by("pk")
    if ctx.unit_filter:
        base = base.filter(unit__in=unit_names(ctx, Draft, "unit"))
    wanted = base.filter(
        Q(submitted_at__year=y) | Q(decided_at__year=y) | Q(published_on__year=y) | Q(valid_until__year=y + 1)
    )
    drafts = list(wanted)
    submitted = [d for d in drafts if _year(d.submitted_at) == y]
    decided = [d for d in drafts if _year(d.decided_at) == y]
    published = [d for d in drafts if d.published_on and d.published_on.year == y]
    after_review = [d for d in published if published_after_review(d)]
    issued, with_register = issued_needing_review(ctx, published)
    covered = [i for i in issued if i.reviewed]
    missed = [i for i in issued if not i.reviewed]
    normative = [d for d in published if d.needs_procedure]
    numbered = [d for d in normative if d.doc_number]
    # 备案 (国办发〔2018〕37号): only documents whose filing deadline had passed by the cut-off, or filed by then.
    filing = timeliness(
        normative, deadline=lambda d: d.filing_deadline, done=lambda d: d.filed_on, cutoff=ctx.year_end
    )
    overdue = [d for d in submitted if selectors.is_overdue(d)]
    major = [d for d in decided if d.is_major]
    days = [selectors.days_in_review(d) for d in decided]
    expiring_next = [d for d in drafts if d.valid_until and d.valid_until.year == y + 1 and not d.expired_on]
    # 公平竞争审查 concluded in the year (符合 or 适用例外): the drafts as market measures, each counted once.
    concluded = FairCompetitionReview.objects.filter(
        reviewed_on__year=y, conclusion__in=(FairConclusion.COMPLIANT, FairConclusion.EXCEPTION)
    )
    fair_ids = dict(concluded.order_by("reviewed_on", "pk").values_list("draft_id", "conclusion"))
    fair = list(base.filter(pk__in=fair_ids))
    fair_exception = [d for d in fair if fair_ids[d.pk] == FairConclusion.EXCEPTION]

    def fig(key: str, label: str, value: Any, unit: str, basis: list[Any], how: str, **kw: Any) -> Figure:
        return listing(
            f"review.{key}",
            label,
            value,
            unit,
            basis,
            f"{SOURCE}，{how}",
            section="合法性审查",
            columns=COLUMNS,
            rows=_rows,
            **kw,
        )

    if with_register:
        basis = (
            f"合法性审查台账与{REGISTER}，按印发日期：{REGISTER}中须经审查类型的文件（免审的除外），"
            "及本年度公布但未在登记簿中登记的送审文稿（已登记的按登记簿计一次）；"
            "审查结论为审查通过且结论日期不晚于印发（公布）日期的为已审查，其余为漏审"
        )
        coverage_label = "应审尽审率（经审查通过后印发的 ÷ 发文登记簿中应经审查的发文）"
        coverage_how = basis
    else:
        # No register entries for the year: the figure reads exactly as before the register existed.
        basis = f"{SOURCE}，按公布日期（本年度{REGISTER}尚无登记，以公布的送审文稿为应审查的发文）"
        coverage_label = "应审尽审率（审查后公布 ÷ 公布）"
        coverage_how = f"{SOURCE}，按公布日期"

    def issued_fig(key: str, label: str, value: Any, unit: str, items: list[Issued], how: str) -> Figure:
        return listing(
            f"review.{key}",
            label,
            value,
            unit,
            items,
            how,
            section="合法性审查",
            columns=ISSUED_COLUMNS,
            rows=_issued_rows,
        )

    chart = "合法性审查（件）"
    return [
        fig("submitted", "送审文稿", len(submitted), "件", submitted, "按首次提交日期", chart=chart),
        fig(
            "reviewed", "审查完成（作出审查结论）", len(decided), "件", decided, "按审查结论日期", chart=chart
        ),
        fig("published", "公布的文件", len(published), "件", published, "按公布日期", chart=chart),
        fig(
            "published_after_review",
            "经合法性审查通过后公布的文件",
            len(after_review),
            "件",
            after_review,
            "按公布日期，审查结论为审查通过且结论日期不晚于公布日期",
            chart=chart,
        ),
        issued_fig(
            "coverage_rate", coverage_label, rate(len(covered), len(issued)), "%", issued, coverage_how
        ),
        issued_fig(
            "missed",
            "漏审文件（应经合法性审查而未经审查通过即印发）",
            len(missed),
            "件",
            missed,
            basis if with_register else f"{basis}；未经审查通过即公布或审查结论晚于公布日期的",
        ),
        fig(
            "normative_numbered_rate",
            "规范性文件统一编号率（登记发文字号的 ÷ 公布的规范性文件）",
            rate(len(numbered), len(normative)),
            "%",
            normative,
            "按公布日期，行政规范性文件；统一登记、统一编号、统一印发（国办发〔2018〕37号）",
        ),
        on_time_rate(
            "review.filed_in_time_rate",
            "规范性文件按期备案率（备案期限内备案的 ÷ 已到备案期限或已备案的规范性文件）",
            filing,
            f"{SOURCE}，按公布日期，行政规范性文件；备案日期不晚于备案期限（审查规则中的备案期限），"
            "未到备案期限且未备案的不计入",
            pending="件未到备案期限",
            section="合法性审查",
            columns=COLUMNS,
            rows=_rows,
        ),
        fig(
            "average_days",
            "平均审查用时",
            round(sum(days) / len(days), 1) if days else None,
            "个工作日",
            decided,
            "按审查结论日期，各轮审查用时之和",
        ),
        fig(
            "overdue",
            "超期审查",
            len(overdue),
            "件",
            overdue,
            "本年度送审文稿中有超期轮次或已逾期未结的",
            chart=chart,
        ),
        fig(
            "major",
            "重大事项（须分管领导签批）审结",
            len(major),
            "件",
            major,
            "按审查结论日期，标记为重大的文稿",
        ),
        fig(
            "fair_competition",
            "公平竞争审查（涉及经营主体经济活动的政策措施）",
            len(fair),
            "件",
            fair,
            "按审查日期，审查结论为符合审查标准或适用例外规定的文稿",
        ),
        fig(
            "fair_competition_exception",
            "其中适用例外规定",
            len(fair_exception),
            "件",
            fair_exception,
            "按审查日期，文稿在本年度最后一次公平竞争审查的结论为适用例外规定",
        ),
        fig(
            "valid_until_next",
            f"{y + 1}年有效期届满须重新评估的规范性文件",
            len(expiring_next),
            "件",
            expiring_next,
            f"有效期至{y + 1}年内的文件",
            comparable=False,
        ),
    ]
