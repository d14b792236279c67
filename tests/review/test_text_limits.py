"""程序记录 情况说明 has a length limit: a longer text is refused in Chinese and nothing is recorded; a text
of exactly the limit is recorded."""

from __future__ import annotations

import datetime as dt

import pytest

from fazhi.core.errors import ValidationFailed
from fazhi.review import services
from fazhi.review.models import ProcedureRecord
from fazhi.review.services.procedures import MAX_SUMMARY


def _add(clerk, draft, summary):
    return services.add_procedure(
        user=clerk, draft_id=draft.pk, step="征求意见", date=dt.date.today(), summary=summary
    )


def test_an_over_long_procedure_summary_is_refused_and_nothing_is_recorded(clerk, make_draft):
    draft = make_draft()
    before = ProcedureRecord.objects.filter(draft=draft).count()
    with pytest.raises(ValidationFailed) as err:
        _add(clerk, draft, "征" * (MAX_SUMMARY + 1))
    assert err.value.message == f"情况说明不能超过 {MAX_SUMMARY:,} 个字（当前 {MAX_SUMMARY + 1:,} 个字）。"
    assert ProcedureRecord.objects.filter(draft=draft).count() == before
    record = _add(clerk, draft, "征" * MAX_SUMMARY)
    assert ProcedureRecord.objects.get(pk=record.pk).summary == "征" * MAX_SUMMARY
