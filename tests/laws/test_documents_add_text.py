"""从文本录入法规 with the files administrators really have: Word numbering, GBK/UTF-16 text, old formats."""

from __future__ import annotations

import codecs
import io

import pytest

from fazhi.laws.models import Law
from fazhi.laws.parsing import parse_plain
from tests.fixtures import office as o

ADD_TEXT = "/admin/laws/law/add-text/"
NUMBERING = o.numbering({1: [o.CHAPTERS], 2: [o.ARTICLES]}, {1: 1, 2: 2})


def _upload(data: bytes, name: str) -> io.BytesIO:
    buf = io.BytesIO(data)
    buf.name = name
    return buf


def _post(client, upload=None, **extra):
    data = {"level": "department_rule", "status": "in_force", **extra}
    if upload is not None:
        data["upload"] = upload
    return client.post(ADD_TEXT, data)


def word_rules() -> bytes:
    """财政部令 as a Word file: 第X章 and 第X条 are automatic numbering, a 条之一 typed by hand, a
    footnote and a page header that are not the law's text."""
    body = (
        o.p("政府采购质疑和投诉办法")
        + o.p("（2017年12月26日财政部令第94号公布　自2018年3月1日起施行）")
        + o.p("总　　则", num=1)
        + o.p("为了规范政府采购质疑和投诉行为，制定本办法。", o.footnote_mark(1), num=2)
        + o.p("第一条之一　本条为手工编号。")
        + o.p("本办法适用于政府采购质疑的提出和答复。", num=2)
        + o.p("质疑提出与答复", num=1)
        + o.p("供应商认为采购文件使自己的权益受到损害的，可以提出质疑。", num=2)
    )
    return o.docx(body, numbering_xml=NUMBERING, footnotes=["编者注。"], header=o.p("财政部令"))


def test_a_word_file_with_automatic_numbering_becomes_articles_and_chapters(db, login, reviewer):
    response = _post(login(reviewer), _upload(word_rules(), "94号令.docx"))
    assert response.status_code == 302, response.content.decode()[:2000]
    law = Law.objects.get(title="政府采购质疑和投诉办法")
    version = law.versions.get()
    articles = list(version.articles.order_by("pk").values_list("label", "chapter", "text"))
    assert articles == [
        ("第一条", "第一章 总则", "为了规范政府采购质疑和投诉行为，制定本办法。"),
        ("第一条之一", "第一章 总则", "本条为手工编号。"),
        ("第二条", "第一章 总则", "本办法适用于政府采购质疑的提出和答复。"),
        ("第三条", "第二章 质疑提出与答复", "供应商认为采购文件使自己的权益受到损害的，可以提出质疑。"),
    ]
    assert "编者注" not in version.text and "财政部令\n" not in version.text
    assert version.effective_date.isoformat() == "2018-03-01"


def test_headings_spread_with_fullwidth_spaces_are_read_as_their_words():
    text = "某办法\r\n第一章　总　　则\r\n第一条　总则条文。\r\n第二节　一般规定\r\n第二条　一般规定条文。"
    parsed = parse_plain(text)
    assert [(a.label, a.chapter, a.section) for a in parsed.articles] == [
        ("第一条", "第一章 总则", ""),
        ("第二条", "第一章 总则", "第二节 一般规定"),
    ]


@pytest.mark.parametrize(
    ("encoded", "name"),
    [
        (codecs.BOM_UTF8 + "某办法\r\n第一条　甲。\r\n第二条　乙。".encode(), "带BOM.txt"),
        ("某办法\r\n第一条　甲。\r\n第二条　乙。".encode("gbk"), "GBK.txt"),
        (
            codecs.BOM_UTF16_LE + "某办法\r\n第一条　甲。\r\n第二条　乙。".encode("utf-16-le"),
            "记事本Unicode.txt",
        ),
    ],
)
def test_text_files_in_the_encodings_windows_tools_save(db, login, reviewer, encoded, name):
    response = _post(login(reviewer), _upload(encoded, name))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(Law.objects.get(title="某办法").versions.get().articles.values_list("text", flat=True)) == [
        "甲。",
        "乙。",
    ]


@pytest.mark.parametrize(
    ("data", "name", "words"),
    [
        (
            o.old_word(),
            "94号令.docx",
            "旧版 Word 97-2003（.doc）或 WPS 文字（.wps）格式，请在 Word 或 WPS 中“另存为”",
        ),
        (o.wps_document(), "94号令.wps", "“另存为”Word 文档（.docx）"),
        (o.encrypted_office(), "94号令.docx", "设置了打开密码"),
        (o.zip_bomb(o.docx(o.p("正文")), "word/document.xml", 300), "94号令.docx", "解压后超过 256 MB"),
        (o.docx(o.p("") + o.p("\u3000")), "空白.docx", "没有从文件“空白.docx”中读到文字"),
        (o.docx(o.p("x"))[:3000], "94号令.docx", "已损坏"),
    ],
)
def test_files_that_cannot_be_read_are_refused_with_what_to_do(db, login, reviewer, data, name, words):
    response = _post(login(reviewer), _upload(data, name))
    page = response.content.decode()
    assert response.status_code == 200
    assert words in page
    assert not Law.objects.exists()


def test_pasted_text_and_a_file_together_are_refused(db, login, reviewer):
    response = _post(login(reviewer), _upload(word_rules(), "94号令.docx"), text="另一部法规\n第一条　甲。")
    assert "只能二选一" in response.content.decode()
    assert not Law.objects.exists()


def test_an_outsider_cannot_add_a_law_from_a_file(db, login, outsider):
    response = _post(login(outsider), _upload(word_rules(), "94号令.docx"))
    assert response.status_code in (302, 403)
    assert not Law.objects.exists()
