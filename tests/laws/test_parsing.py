"""Article splitting on real texts (read from the shared data) and on pasted / uploaded text."""

from __future__ import annotations

import io
import re

import docx

from fazhi.laws.parsing import parse_markdown, parse_plain
from fazhi.laws.services import text_from_upload

from .conftest import JUDICIAL, LAWS, LOCAL, shared_record

ARTICLE_LINE = re.compile(r"^第[一二三四五六七八九十百零千]+条(之[一二三四五六七八九十]+)? ", re.M)


def _body(text: str) -> str:
    return text.split("<!-- INFO END -->", 1)[1]


def test_it_splits_every_article_of_the_civil_code_general_part():
    record = shared_record(LAWS, "中华人民共和国民法典·总则")
    parsed = parse_markdown(record["text"])
    assert len(parsed.articles) == len(ARTICLE_LINE.findall(_body(record["text"])))
    first, last = parsed.articles[0], parsed.articles[-1]
    assert (first.number, first.label) == (1, "第一条")
    assert first.chapter.startswith("第一章")
    assert last.number == 204  # 总则编 runs 第一条 … 第二百零四条
    numbers = [a.number for a in parsed.articles]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)


def test_it_keeps_the_criminal_law_structure_and_zhi_articles():
    parsed = parse_markdown(shared_record(LAWS, "中华人民共和国刑法")["text"])
    by_key = {(a.number, a.suffix): a for a in parsed.articles}
    art = by_key[(238, 0)]
    assert art.part == "第二编 分则"
    assert art.chapter.startswith("第四章")
    assert len(art.paragraphs) == 4  # four 款
    assert art.text.count("\n") == 3
    zhi = by_key[(17, 1)]
    assert zhi.label == "第十七条之一"
    assert (120, 6) in by_key  # 第一百二十条之六
    items = [a for a in parsed.articles if any(p["items"] for p in a.paragraphs)]
    assert items, "项 are kept inside their 款"
    assert all(i.startswith("（") for a in items for p in a.paragraphs for i in p["items"])
    sections = {a.section for a in parsed.articles if a.section}
    assert "第一节 犯罪和刑事责任" in sections


def test_it_splits_a_judicial_interpretation():
    record = shared_record(JUDICIAL, "最高人民法院关于审理民间借贷案件适用法律若干问题的规定")
    parsed = parse_markdown(record["text"])
    assert parsed.title == record["title"]
    assert len(parsed.articles) == len(ARTICLE_LINE.findall(_body(record["text"])))
    assert parsed.articles[0].text.startswith("本规定所称的民间借贷")
    assert parsed.history and parsed.history[0]["date"].startswith("20")


def test_it_numbers_a_text_without_articles_by_its_enumeration():
    record = shared_record(JUDICIAL, "人民检察院办理行政执法机关移送涉嫌犯罪案件的规定")
    parsed = parse_markdown(record["text"])
    assert [a.label for a in parsed.articles[:3]] == ["一、", "二、", "三、"]
    assert parsed.preamble.startswith("根据《中华人民共和国刑事诉讼法》")
    assert parsed.articles[1].paragraphs[0]["items"][0].startswith("（一）")


def test_it_splits_a_local_regulation_into_chapters():
    record = shared_record(LOCAL, "上海口岸服务条例")
    parsed = parse_markdown(record["text"])
    assert parsed.articles[0].chapter == "第一章 总则"
    assert len({a.chapter for a in parsed.articles}) >= 5
    fifth = next(a for a in parsed.articles if a.number == 5)
    assert len(fifth.paragraphs) == 3
    assert [h["date"] for h in parsed.history] == ["2011-11-17", "2020-05-14"]


PASTED = """政府采购货物和服务招标投标管理办法
（2017年7月11日财政部令第87号公布　自2017年10月1日起施行）
第一章　总则
第一条　为了规范政府采购当事人的采购行为，加强对政府采购货物和服务招标投标活动的监督管理，制定本办法。
第二条　本办法适用于在中华人民共和国境内开展政府采购货物和服务招标投标活动。
第二章　招标
第一节　招标方式
第十条　采购人应当对采购标的的市场技术或者服务水平、供应、价格等情况进行市场调查。
招标文件应当包括以下主要内容：
（一）投标邀请；
（二）投标人须知；
第十条之一　本条用于测试之一条文。
"""


def test_it_parses_a_pasted_ministry_rule():
    parsed = parse_plain(PASTED)
    assert parsed.title == "政府采购货物和服务招标投标管理办法"
    assert [a.label for a in parsed.articles] == ["第一条", "第二条", "第十条", "第十条之一"]
    assert parsed.publish_date.isoformat() == "2017-07-11"
    assert parsed.effective_date.isoformat() == "2017-10-01"
    tenth = parsed.articles[2]
    assert tenth.chapter == "第二章 招标" and tenth.section == "第一节 招标方式"
    assert tenth.paragraphs[1]["items"] == ["（一）投标邀请；", "（二）投标人须知；"]
    assert parsed.articles[0].text.startswith("为了规范")


def test_it_reads_the_text_of_an_uploaded_docx():
    document = docx.Document()
    for line in PASTED.splitlines():
        document.add_paragraph(line)
    buf = io.BytesIO()
    document.save(buf)
    text = text_from_upload(name="87号令.docx", data=buf.getvalue())
    assert len(parse_plain(text).articles) == 4


def test_it_reads_a_gbk_text_file():
    text = text_from_upload(name="87.txt", data=PASTED.encode("gb18030"))
    assert parse_plain(text).title == "政府采购货物和服务招标投标管理办法"
