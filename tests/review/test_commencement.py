"""施行日期: read from the final text at publication; the validity period runs from it; the library version
reads 尚未生效 until the day comes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from fazhi.core import periodic
from fazhi.core.dates import add_years
from fazhi.core.models import AuditEvent
from fazhi.laws.models import LawVersion, Status
from fazhi.review import library, periods, selectors, services
from fazhi.review.models import Draft

from .conftest import add_version

TODAY = timezone.localdate
PUBLISHED = dt.date(2026, 3, 5)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("本办法自2027年1月1日起施行。", dt.date(2027, 1, 1)),
        ("本办法自二〇二七年一月一日起实施。", dt.date(2027, 1, 1)),
        ("本办法于2027年12月31日起执行。", dt.date(2027, 12, 31)),
        ("本通知自印发之日起施行。", PUBLISHED),
        ("本办法自公布之日起施行。", PUBLISHED),
        ("本办法自发布之日起30日后施行。", PUBLISHED + dt.timedelta(days=30)),
        ("本办法自发布之日起三十日后施行。", PUBLISHED + dt.timedelta(days=30)),
        ("本办法由区财政局负责解释。", None),
        ("本办法自2027年2月30日起施行。", None),  # no such day
        ("本办法自2026年1月1日起施行。", None),  # not in force before it is published
    ],
)
def test_the_stated_commencement_is_read_from_the_text(sentence, expected):
    assert (
        periods.stated_commencement(f"第一条 为规范管理，制定本办法。\n第九条 {sentence}", PUBLISHED)
        == expected
    )


def test_the_last_statement_is_the_documents_own_and_cited_ones_are_not():
    text = (
        "第一条 根据自2020年1月1日起施行的《预算法实施条例》，制定本办法。\n"
        "第八条 过渡期内的项目自印发之日起执行。\n"
        "第九条 本办法自2027年3月1日起施行，2019年1月1日起施行的《专项资金管理暂行办法》同时废止。"
    )
    assert periods.stated_commencement(text, PUBLISHED) == dt.date(2027, 3, 1)


def test_without_a_statement_the_document_takes_effect_on_publication():
    assert periods.effective_on("第一条 为规范管理，制定本办法。", PUBLISHED) == PUBLISHED


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # The 施行日 is the first day of validity, so the last one is the day before the anniversary.
        ("本办法自2027年1月1日起施行，有效期3年。", dt.date(2029, 12, 31)),
        ("本办法自2027年1月1日起施行。", dt.date(2031, 12, 31)),  # the type's 5 years, from the 施行日期
        ("本办法自2027年1月1日起施行，有效期至2029年12月31日。", dt.date(2029, 12, 31)),  # as written
        ("本办法自印发之日起施行，有效期3年。", dt.date(2029, 3, 4)),  # from the publication
    ],
)
def test_the_validity_period_runs_from_the_commencement(sentence, expected):
    effective = periods.effective_on(sentence, PUBLISHED)
    assert periods.valid_until(sentence, PUBLISHED, 5, effective=effective) == expected


def _published(make_draft, clerk, reviewer, *, text: str = "", title: str = "资金管理办法") -> Draft:
    draft = make_draft(title=title)
    if text:
        add_version(draft, clerk, text)
    services.transition(user=clerk, draft_id=draft.pk, action="submit")
    services.transition(user=reviewer, draft_id=draft.pk, action="start_review")
    services.transition(user=reviewer, draft_id=draft.pk, action="approve", comment="同意")
    return services.transition(user=clerk, draft_id=draft.pk, action="publish", comment="印发")


def _stating(day: dt.date, term: str = "") -> str:
    return (
        "财政专项资金管理办法\n第一条 为规范财政专项资金管理，制定本办法。\n"
        f"第二条 本办法自{day.year}年{day.month}月{day.day}日起施行{term}。"
    )


def test_publication_records_the_stated_commencement_and_counts_the_validity_from_it(
    make_draft, clerk, reviewer, token_for
):
    starts = dt.date(TODAY().year + 1, 1, 1)
    draft = _published(make_draft, clerk, reviewer, text=_stating(starts, "，有效期3年"))
    assert draft.published_on == TODAY() and draft.effective_on == starts
    assert draft.valid_until == add_years(starts, 3) - dt.timedelta(days=1)
    assert draft.filing_deadline == TODAY() + dt.timedelta(days=15)  # 备案 still counts from publication
    detail = Client().get(f"/api/v1/review/drafts/{draft.pk}", headers=token_for(clerk)).json()
    assert detail["effective_on"] == starts.isoformat()
    event = AuditEvent.objects.filter(
        object_type="review.Draft", object_id=str(draft.pk), action="transition"
    )
    assert event.order_by("-seq").first().after["effective_on"] == str(starts)


def test_a_document_in_force_on_publication_reads_as_before(make_draft, clerk, reviewer, login):
    draft = _published(make_draft, clerk, reviewer)  # 本办法自印发之日起施行
    assert draft.effective_on == draft.published_on == TODAY()
    assert draft.valid_until == add_years(TODAY(), 5) - dt.timedelta(days=1)
    version = LawVersion.objects.get(pk=draft.law_version_id)
    assert version.status == Status.IN_FORCE and version.effective_date == TODAY()
    html = login(clerk).get(f"/review/drafts/{draft.pk}/").content.decode()
    assert f"施行日期 {TODAY():%Y-%m-%d}" in html


def test_a_later_commencement_enters_the_library_not_yet_in_force_until_the_day(make_draft, clerk, reviewer):
    starts = TODAY() + dt.timedelta(days=40)
    draft = _published(make_draft, clerk, reviewer, text=_stating(starts))
    version = LawVersion.objects.get(pk=draft.law_version_id)
    assert (version.publish_date, version.effective_date) == (TODAY(), starts)
    assert version.status == Status.NOT_YET_IN_FORCE
    assert version.status_basis.endswith(f"自{starts.year}年{starts.month}月{starts.day}日起施行")

    assert library.bring_into_force(on=starts - dt.timedelta(days=1)) == 0
    assert LawVersion.objects.get(pk=version.pk).status == Status.NOT_YET_IN_FORCE
    assert library.bring_into_force(on=starts) == 1
    assert LawVersion.objects.get(pk=version.pk).status == Status.IN_FORCE
    assert AuditEvent.objects.filter(
        object_type="laws.LawVersion", object_id=str(version.pk), action="transition"
    ).exists()
    assert library.bring_into_force(on=starts) == 0  # once
    assert "review.commencement" in {job.name for job in periodic.jobs()}


def test_a_revision_replaces_the_version_in_force_only_when_it_commences(make_draft, clerk, reviewer):
    first = _published(make_draft, clerk, reviewer)
    starts = TODAY() + dt.timedelta(days=10)
    revision = _published(make_draft, clerk, reviewer, text=_stating(starts, "，有效期3年"))
    old, new = (LawVersion.objects.get(pk=d.law_version_id) for d in (first, revision))
    assert old.law_id == new.law_id
    assert (old.status, new.status) == (Status.IN_FORCE, Status.NOT_YET_IN_FORCE)
    library.bring_into_force(on=starts)
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.status, new.status) == (Status.AMENDED, Status.IN_FORCE)


def test_a_document_declared_void_before_it_commences_stays_void(make_draft, clerk, reviewer):
    starts = TODAY() + dt.timedelta(days=40)
    draft = _published(make_draft, clerk, reviewer, text=_stating(starts))
    services.transition(user=reviewer, draft_id=draft.pk, action="expire", comment="上位政策调整，不再施行")
    version = LawVersion.objects.get(pk=draft.law_version_id)
    assert version.status == Status.EXPIRED
    assert library.bring_into_force(on=starts) == 0
    assert LawVersion.objects.get(pk=version.pk).status == Status.EXPIRED


def test_a_registration_retried_once_the_document_commenced_enters_in_force(
    make_draft, clerk, reviewer, monkeypatch
):
    starts = TODAY() + dt.timedelta(days=3)
    draft = _published(make_draft, clerk, reviewer, text=_stating(starts))
    LawVersion.objects.filter(pk=draft.law_version_id).delete()  # as if the registration had failed
    draft = Draft.objects.get(pk=draft.pk)
    monkeypatch.setattr(selectors, "today", lambda: starts)
    library.register(draft)
    version = LawVersion.objects.get(pk=draft.law_version_id)
    assert version.status == Status.IN_FORCE and version.effective_date == starts


def test_a_version_overtaken_before_it_commences_never_comes_into_force(make_draft, clerk, reviewer):
    starts = TODAY() + dt.timedelta(days=40)
    pending = _published(make_draft, clerk, reviewer, text=_stating(starts))
    revision = _published(make_draft, clerk, reviewer)  # 自印发之日起施行: in force today
    old, new = (LawVersion.objects.get(pk=d.law_version_id) for d in (pending, revision))
    assert old.law_id == new.law_id and new.status == Status.IN_FORCE
    library.bring_into_force(on=starts)
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.status, new.status) == (Status.AMENDED, Status.IN_FORCE)
    assert "施行前已由后公布并已施行的版本取代" in old.status_basis
