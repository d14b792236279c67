"""Importing case excerpts (the shape of shared/data/cases/case-excerpts.jsonl)."""

from __future__ import annotations

import io
import json
from itertools import islice

import pytest
from django.conf import settings
from django.core.management import call_command

from fazhi.cases.importer import parse_record, split_sections
from fazhi.cases.models import Case, CaseStatus


def test_a_record_is_cut_into_sections_converted_to_simplified_and_classified():
    values = parse_record(
        {
            "kind": "procurement_typical_case",
            "url": "https://example.gov.cn/case/1",
            "note": "MOF typical cases; excerpt truncated.",
            "excerpt": "某單位招標文件排斥外地企業參與投標\n2025年12月04日 來源\n【基本案情】\n采購人要求在本省設立機構。\n【處理結果】\n責令改正。",
        }
    )
    assert values["title"] == "某单位招标文件排斥外地企业参与投标"
    assert values["category"] == "procurement"
    assert "采购人要求在本省设立机构" in values["facts"]
    assert values["decision"] == "责令改正。"
    assert values["source_date"].isoformat() == "2025-12-04"
    assert values["articles"] == [{"law": "政府采购法实施条例", "article": 20}]


def test_document_numbers_and_issuers_come_from_the_note():
    values = parse_record(
        {
            "kind": "procurement_administrative_penalty",
            "url": "https://example.gov.cn/p",
            "note": "嘉兴市财政局行政处罚决定书(嘉财罚字〔2023〕1号); false 《中小企业声明函》",
            "excerpt": "当事人:某公司……",
        }
    )
    assert values["source_doc_number"] == "嘉财罚字〔2023〕1号"
    assert values["source_issuer"] == "嘉兴市财政局"
    assert values["category"] == "penalty"


def test_split_sections_keeps_text_before_the_first_marker_as_facts():
    assert split_sections("前言\n【裁判】驳回") == {"facts": "前言", "decision": "驳回"}


def test_the_command_imports_twice_without_duplicates_and_links_known_articles(tmp_path, procurement_law):
    path = tmp_path / "cases.jsonl"
    rows = [
        {
            "kind": "procurement_typical_case",
            "url": "https://e.gov.cn/1",
            "note": "典型案例",
            "excerpt": "案例一\n【基本案情】事实",
        },
        {
            "kind": "fund_misuse_news",
            "url": "https://e.gov.cn/2",
            "note": "news",
            "excerpt": "骗取补贴资金。",
        },
        {"kind": "x", "url": "", "note": "", "excerpt": "没有网址"},
    ]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    out = io.StringIO()
    call_command("import_cases", str(path), stdout=out)
    call_command("import_cases", str(path), stdout=out)
    assert Case.objects.count() == 2
    assert "新增 2 条" in out.getvalue() and "更新 2 条" in out.getvalue() and "跳过 1 条" in out.getvalue()
    first = Case.objects.get(source_url="https://e.gov.cn/1")
    assert first.status == CaseStatus.PUBLISHED
    assert [str(a) for a in first.applied.all()] == ["中华人民共和国政府采购法实施条例第二十条"]


@pytest.mark.realdata
def test_the_shared_case_excerpts_import(db, tmp_path):
    source = settings.FAZHI_DATA_DIR / "cases" / "case-excerpts.jsonl"
    if not source.exists():
        pytest.skip(f"共享数据不存在：{source}")
    sample = tmp_path / "slice.jsonl"
    with open(source, encoding="utf-8") as fh:
        sample.write_text("".join(islice(fh, 3)), encoding="utf-8")
    call_command("import_cases", str(sample), stdout=io.StringIO())
    assert Case.objects.filter(status=CaseStatus.PUBLISHED).count() == 3
    assert all(c.title and c.facts for c in Case.objects.all())
