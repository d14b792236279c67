"""A case's date and texts are refused in Chinese when wrong or too long, never taken or cut silently (audit)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from fazhi.cases.admin import CaseForm
from fazhi.cases.models import Case


@pytest.fixture
def editor(clerk):
    client = Client()
    client.force_login(clerk)
    return client


def _create(client: Client, **fields):
    body = {"title": "某单位招标文件排斥外地企业", "category": "政府采购", **fields}
    return client.post("/api/v1/cases/", json.dumps(body), "application/json")


def test_a_document_date_after_today_is_refused(editor, procurement_law):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    r = _create(editor, source_date=tomorrow.isoformat())
    assert r.status_code == 400
    assert r.json()["detail"] == f"文书日期 {tomorrow} 晚于今天，请检查。"
    assert not Case.objects.exists()
    assert _create(editor, source_date=timezone.localdate().isoformat()).status_code == 201


def test_the_admin_form_refuses_a_document_date_after_today(db):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    form = CaseForm(data={"title": "案例", "category": "procurement", "source_date": tomorrow.isoformat()})
    assert not form.is_valid()
    assert form.errors["source_date"] == [f"文书日期 {tomorrow} 晚于今天，请检查。"]


def test_a_long_summary_or_note_is_refused_not_cut(editor, procurement_law):
    r = _create(editor, summary="摘" * 501)
    assert r.status_code == 400
    assert r.json()["detail"] == "摘要不能超过 500 个字（当前 501 个字）。"
    r = _create(editor, articles=[{"law": "政府采购法实施条例", "article": "第二十条", "note": "说" * 301}])
    assert r.status_code == 400
    assert r.json()["detail"] == "适用说明不能超过 300 个字（当前 301 个字）。"
    assert not Case.objects.exists()
    r = _create(
        editor,
        summary="摘" * 500,
        articles=[{"law": "政府采购法实施条例", "article": "第二十条", "note": "说" * 300}],
    )
    assert r.status_code == 201
    case = Case.objects.get()
    assert len(case.summary) == 500 and len(case.applied.get().note) == 300


LONG_TEXTS = [
    ("facts", "基本案情", 20_000),
    ("dispute", "争议焦点", 5_000),
    ("decision", "处理结果", 10_000),
    ("analysis", "法理分析", 20_000),
    ("lessons", "启示", 10_000),
    ("source_note", "来源说明", 500),
]


@pytest.mark.parametrize(("field", "label", "limit"), LONG_TEXTS)
def test_a_long_case_text_is_refused_not_cut(clerk, field, label, limit):
    from fazhi.cases import services
    from fazhi.core.errors import ValidationFailed

    data = {"title": "某单位招标文件排斥外地企业", "category": "政府采购"}
    with pytest.raises(ValidationFailed, match=f"{label}不能超过 {limit:,} 个字"):
        services.create_case(user=clerk, data={**data, field: "案" * (limit + 1)})
    assert not Case.objects.exists()
    case = services.create_case(user=clerk, data={**data, field: "案" * limit})
    assert len(getattr(case, field)) == limit


@pytest.mark.parametrize(("field", "label", "limit"), LONG_TEXTS)
def test_the_admin_form_shows_a_long_case_text_at_its_field(db, field, label, limit):
    form = CaseForm(data={"title": "案例", "category": "procurement", field: "案" * (limit + 1)})
    assert not form.is_valid()
    if field == "source_note":  # a column of 500: the form's own length check says it at the field
        assert "500" in form.errors[field][0]
    else:
        assert form.errors[field] == [f"{label}不能超过 {limit:,} 个字（当前 {limit + 1:,} 个字）。"]
