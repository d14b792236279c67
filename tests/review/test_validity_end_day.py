"""有效期至 is the last day of validity: the 施行日 is the first, so N years end the day before the anniversary."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from fazhi.core.dates import add_years, cn_date
from fazhi.core.errors import ValidationFailed
from fazhi.laws.models import LawVersion
from fazhi.review import periods, services, validity
from fazhi.review.models import Draft, State

from .conftest import add_version

TODAY = timezone.localdate
DAY = dt.timedelta(days=1)
TEXT = "财政专项资金管理办法\n第一条 为规范财政专项资金管理，制定本办法。\n第二条 {}"


@pytest.mark.parametrize(
    ("sentence", "published", "expected"),
    [
        ("本办法自2027年1月1日起施行，有效期5年。", dt.date(2026, 12, 7), dt.date(2031, 12, 31)),
        ("本办法自印发之日起施行。", dt.date(2026, 12, 7), dt.date(2031, 12, 6)),  # the type's 5 years
        ("本办法自印发之日起施行，有效期三年。", dt.date(2026, 12, 7), dt.date(2029, 12, 6)),
        ("本办法自2027年1月1日起施行，有效期至2031年12月31日。", dt.date(2026, 12, 7), dt.date(2031, 12, 31)),
        ("本办法自2028年2月29日起施行，有效期4年。", dt.date(2028, 1, 5), dt.date(2032, 2, 28)),
    ],
)
def test_the_last_day_is_the_day_before_the_anniversary(sentence, published, expected):
    effective = periods.effective_on(sentence, published)
    assert periods.valid_until(sentence, published, 5, effective=effective) == expected


def test_a_term_from_29_february_ends_on_the_last_day_of_february():
    assert periods.last_day(dt.date(2028, 2, 29), 5) == dt.date(2033, 2, 28)
    assert periods.last_day(dt.date(2027, 3, 1), 1) == dt.date(2028, 2, 29)
    assert periods.stated_end("有效期2年", dt.date(2026, 12, 7)) == dt.date(2028, 12, 6)


def _published(make_draft, clerk, reviewer, sentence: str = "本办法自印发之日起施行。") -> Draft:
    draft = make_draft()
    add_version(draft, clerk, TEXT.format(sentence))
    services.transition(user=clerk, draft_id=draft.pk, action="submit")
    services.transition(user=reviewer, draft_id=draft.pk, action="start_review")
    services.transition(user=reviewer, draft_id=draft.pk, action="approve", comment="同意")
    return services.transition(user=clerk, draft_id=draft.pk, action="publish", comment="印发")


def test_the_document_is_in_force_on_its_last_day_and_expires_on_the_anniversary(make_draft, clerk, reviewer):
    draft = _published(make_draft, clerk, reviewer, "本办法自印发之日起施行，有效期3年。")
    last = add_years(TODAY(), 3) - DAY
    assert draft.valid_until == last
    assert validity.expire_lapsed(last) == 0  # still in force all that day
    assert validity.expire_lapsed(last + DAY) == 1
    draft.refresh_from_db()
    assert draft.state == State.EXPIRED and draft.expired_on == add_years(TODAY(), 3)
    basis = LawVersion.objects.get(pk=draft.law_version_id).status_basis
    assert basis == f"有效期至{cn_date(last)}届满，自{cn_date(add_years(TODAY(), 3))}起失效"


def test_continuing_counts_the_new_term_the_same_way(make_draft, reviewer):
    draft = make_draft(state=State.PUBLISHED)
    Draft.objects.filter(pk=draft.pk).update(
        published_on=TODAY() - dt.timedelta(days=1000), valid_until=TODAY() + dt.timedelta(days=30)
    )
    kwargs = {"user": reviewer, "draft_id": draft.pk, "outcome": "continue", "evaluated_on": TODAY()}
    with pytest.raises(ValidationFailed) as err:
        validity.evaluate(**kwargs, summary="评估", valid_until=add_years(TODAY(), 5))
    assert f"最晚为{cn_date(add_years(TODAY(), 5) - DAY)}" in err.value.message
    validity.evaluate(**kwargs, summary="评估", valid_until=add_years(TODAY(), 5) - DAY)
    draft.refresh_from_db()
    assert draft.valid_until == add_years(TODAY(), 5) - DAY
