"""登记送审文稿 sent back with a refusal: the field it is about is marked aria-invalid and tied to the message by
aria-describedby (GB/T 37668-2019 / WCAG 3.3.1), so form-errors.js puts the focus there and a screen reader
reads the label with the error; the other fields stay unmarked."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from fazhi.review.models import Draft

pytestmark = pytest.mark.django_db

VALID = {"title": "资金管理办法", "doc_type": "normative", "unit": "预算科", "due_date": ""}
FIELDS = {"title": "id_title", "doc_type": "id_doc_type", "unit": "id_unit", "due_date": "id_due"}


def tag(page: str, field_id: str) -> str:
    found = re.search(rf'<(?:input|select) id="{field_id}"[^>]*>', page)
    assert found, field_id
    return found.group(0)


@pytest.mark.parametrize(
    "field, changes",
    [
        ("title", {"title": "   "}),
        ("title", {"title": "长" * 301}),
        ("doc_type", {"doc_type": "memo"}),
        ("unit", {"unit": "科" * 201}),
        ("due_date", {"due_date": "明天"}),
        ("due_date", {"due_date": "2001-01-01"}),
    ],
)
def test_the_refused_field_is_marked_and_names_the_error(clerk, login, field, changes):
    response = login(clerk).post("/review/new/", {**VALID, **changes})
    assert response.status_code == 400 and not Draft.objects.exists()
    page = response.content.decode()
    error = re.search(r'<p id="form-error" class="error" role="alert">([^<]+)</p>', page)
    assert error and error.group(1).strip()
    for name, field_id in FIELDS.items():
        if name == field:
            assert 'aria-invalid="true" aria-describedby="form-error"' in tag(page, field_id)
        else:
            assert "aria-invalid" not in tag(page, field_id), name


def test_the_blank_form_marks_nothing(clerk, login):
    page = login(clerk).get("/review/new/").content.decode()
    assert "aria-invalid" not in page and 'id="form-error"' not in page


def test_a_refused_register_import_marks_its_message_to_take_the_focus(reviewer, login):
    """The refusal is about the whole file, not one field: form-errors.js focuses the message marked so."""
    from tests.review.test_register_pages import upload, xlsx

    bad = xlsx([["阳财规第1号", "文号写错", "综合科", dt.date(2026, 1, 5), "行政规范性文件", ""]])
    page = login(reviewer).post("/review/register/import/", {"file": upload(bad)}).content.decode()
    assert re.search(r'<p class="error" role="alert" data-form-error>[^<]+</p>', page)
