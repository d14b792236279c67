"""Importing case excerpts (the shape of shared/data/cases/case-excerpts.jsonl)."""

from __future__ import annotations

import importlib
import io
import json
from itertools import islice

import pytest
from django.conf import settings
from django.core.management import call_command

from fazhi.cases import selectors
from fazhi.cases.importer import EXCERPT_NOTE, parse_record, split_sections
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


def test_a_reconsideration_on_processing_existing_information_applies_article_38():
    # The shared record's respondent refuses because the request needs 加工分析 of existing information:
    # 政府信息公开条例第三十八条, not 第三十三条 (the time limits for answering).
    values = parse_record(
        {
            "kind": "info_disclosure_reconsideration",
            "url": "https://example.gov.cn/r",
            "note": "行政复议决定",
            "excerpt": "被申请人答复称：申请人申请公开的信息需要对现有政府信息进行加工分析，属于可以不予提供。",
        }
    )
    assert values["articles"] == [{"law": "政府信息公开条例", "article": 38}]


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


def test_the_collectors_english_note_is_not_published_but_its_date_is_used():
    values = parse_record(
        {
            "kind": "news",
            "url": "https://example.gov.cn/n",
            "note": "repost of 海南新闻中心 2014-10-14; news, copyrighted; excerpt.",
            "excerpt": "某县财政局公开预算信息\n记者从某县了解到……",
        }
    )
    assert values["source_note"] == EXCERPT_NOTE
    assert values["source_date"].isoformat() == "2014-10-14"


def test_a_case_without_a_date_takes_its_year_from_the_document_number_or_has_none(make_case):
    numbered = make_case("处罚案例", source_date="", source_doc_number="嘉财罚字〔2023〕1号")
    court = make_case("判决案例", source_date="", source_doc_number="(2023)京行终9714号")
    undated = make_case("无日期案例", source_date="")
    assert (numbered.year, court.year, undated.year) == (2023, 2023, None)
    facets = dict((v, c) for v, c, _ in selectors.search_cases().facets["year"])
    assert facets == {"2023": 2}  # the undated case is not filed under the year it was put online


def test_the_case_page_shows_the_chinese_source_note(client, make_case):
    case = make_case(source_url="https://example.gov.cn/c", source_note=EXCERPT_NOTE)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "摘录，全文以原文为准" in page and "excerpt" not in page


def test_the_migration_replaces_imported_english_notes_and_queues_a_reindex(make_case):
    from django.apps import apps

    from fazhi.search.models import OutboxEntry

    migration = importlib.import_module("fazhi.cases.migrations.0002_public_source_note")
    imported = make_case(
        "导入的案例", source_note="平湖市财政局 投诉处理决定书〔2024〕9号; excerpt truncated."
    )
    edited = make_case("编辑写的案例", source_note="经编辑核对的来源说明")
    OutboxEntry.objects.all().delete()
    migration.forwards(apps, None)
    imported.refresh_from_db()
    edited.refresh_from_db()
    assert imported.source_note == EXCERPT_NOTE and edited.source_note == "经编辑核对的来源说明"
    assert set(OutboxEntry.objects.filter(index="cases").values_list("object_id", flat=True)) == {
        str(imported.pk),
        str(edited.pk),
    }
