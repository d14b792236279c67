"""The one length rule for free texts (fazhi.core.limits): at the limit accepted, one over refused, never
cut, in one wording that names the field, the limit and the length."""

from __future__ import annotations

import pytest
from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError

from fazhi.core import limits
from fazhi.core.errors import ValidationFailed
from fazhi.core.fields import max_length
from fazhi.core.models import CalendarDay, EnterpriseAccount


def test_at_the_limit_the_text_is_returned_as_given():
    text = " 说" * 250  # 500 characters, spaces kept: the caller strips where its field is stripped
    assert limits.check_length(text, "说明", 500) == text
    assert limits.length_problem(text, "说明", 500) is None
    assert limits.check_length(None, "说明", 5) == ""
    assert limits.check_length(12345, "编号", 5) == "12345"


def test_one_over_the_limit_is_refused_with_the_field_the_limit_and_the_length():
    with pytest.raises(ValidationFailed) as err:
        limits.check_length("说" * 501, "说明", 500)
    assert err.value.message == "说明不能超过 500 个字（当前 501 个字）。"
    assert err.value.status == 400
    assert limits.length_problem("说" * 501, "说明", 500) == "说明不能超过 500 个字（当前 501 个字）"


def test_large_numbers_are_grouped_and_a_hint_follows_the_reason():
    problem = limits.length_problem("字" * 200_001, "单次预审的文书内容", 200_000, hint="请分章节提交")
    assert problem == "单次预审的文书内容不能超过 200,000 个字（当前 200,001 个字），请分章节提交"
    with pytest.raises(
        ValidationFailed, match=r"^一条审查意见不能超过 5,000 个字（当前 5,001 个字），请精简。$"
    ):
        limits.check_length("意" * 5001, "一条审查意见", 5000, hint="请精简")


def test_a_model_field_gives_its_max_length_and_its_name():
    assert max_length(EnterpriseAccount, "contact") == 50
    assert max_length(CalendarDay, "note") is None  # a TextField
    assert limits.check_field("联" * 50, EnterpriseAccount, "contact") == "联" * 50
    with pytest.raises(ValidationFailed) as err:
        limits.check_field("联" * 51, EnterpriseAccount, "contact")
    assert err.value.message == "联系人不能超过 50 个字（当前 51 个字）。"
    with pytest.raises(ValidationFailed, match="^企业联系人不能超过 50 个字"):
        limits.check_field("联" * 51, EnterpriseAccount, "contact", "企业联系人")
    assert (
        limits.field_problem("联" * 51, EnterpriseAccount, "contact")
        == "联系人不能超过 50 个字（当前 51 个字）"
    )
    # A field without max_length takes any length.
    assert limits.check_field("备" * 10_000, CalendarDay, "note") == "备" * 10_000
    assert limits.field_problem("备" * 10_000, CalendarDay, "note") is None


class _NoteForm(forms.Form):
    note = forms.CharField(
        required=False, widget=forms.Textarea, validators=[limits.MaxChars("规则说明", 10)]
    )


def test_a_form_field_shows_the_same_message_and_is_not_cut():
    assert _NoteForm({"note": "说" * 10}).is_valid()
    form = _NoteForm({"note": "说" * 11})
    assert not form.is_valid()
    assert form.errors["note"] == ["规则说明不能超过 10 个字（当前 11 个字）。"]
    assert "maxlength" not in str(form["note"])  # a browser never cuts a pasted text silently
    with pytest.raises(DjangoValidationError) as err:
        limits.MaxChars("说明", 3)("说明文字")
    assert err.value.code == "max_length"
    assert limits.MaxChars("说明", 3) == limits.MaxChars("说明", 3) != limits.MaxChars("说明", 4)


def test_limit_form_fields_skips_fields_the_form_does_not_show():
    form = _NoteForm({"note": "说" * 6})
    limits.limit_form_fields(form, {"note": ("说明", 5), "absent": ("无", 1)})
    assert not form.is_valid()
    assert "说明不能超过 5 个字（当前 6 个字）。" in form.errors["note"]
