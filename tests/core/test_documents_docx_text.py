"""Reading a .docx as Word shows it: numbering, tracked changes, tables, text boxes, fields, notes."""

from __future__ import annotations

import io

import pytest
from docx import Document

from fazhi.core.docx_text import format_number, lines, text
from fazhi.core.errors import ValidationFailed
from tests.fixtures import office as o

ARTICLE_LIST = o.numbering({1: [o.ARTICLES]}, {1: 1})


def test_word_numbering_is_written_out_as_word_draws_it():
    numbering = o.numbering({1: [o.CHAPTERS], 2: [o.ARTICLES], 3: [o.ENUM, o.ITEMS]}, {1: 1, 2: 2, 3: 3})
    body = (
        o.p("区级财政专项资金管理办法")
        + o.p("总则", num=1)
        + o.p("为加强财政专项资金管理，制定本办法。", num=2)
        + o.p("本办法适用于区级财政专项资金。", num=2)
        + o.p("管理", num=1)
        + o.p("专项资金实行目录管理。", num=2)
        + o.p("支持范围", num=3)
        + o.p("科技创新；", num=3, ilvl=1)
        + o.p("稳岗就业。", num=3, ilvl=1)
        + o.p("附则", num=3)
        + o.p("另行规定。", num=3, ilvl=1)
    )
    assert lines(o.docx(body, numbering_xml=numbering)) == [
        "区级财政专项资金管理办法",
        "第一章\u3000总则",
        "第一条\u3000为加强财政专项资金管理，制定本办法。",
        "第二条\u3000本办法适用于区级财政专项资金。",
        "第二章\u3000管理",
        "第三条\u3000专项资金实行目录管理。",  # articles run on across chapters, as in Word
        "一、支持范围",
        "（一）科技创新；",
        "（二）稳岗就业。",
        "二、附则",
        "（一）另行规定。",  # a deeper level restarts under a new item
    ]


def test_restarted_numbering_and_empty_numbered_paragraphs_count_as_in_word():
    numbering = o.numbering({1: [o.ARTICLES]}, {1: 1, 2: 1}, restarts={2: 1})
    body = (
        o.p("甲", num=1)
        + o.p("", num=1)  # an empty numbered paragraph still takes 第二条 in Word
        + o.p("丙", num=1)
        + o.p("附件", num=2)  # "重新开始于 1": a new num on the same list
        + o.p("乙", num=1)
    )
    assert lines(o.docx(body, numbering_xml=numbering)) == [
        "第一条\u3000甲",
        "第三条\u3000丙",
        "第一条\u3000附件",
        "第二条\u3000乙",
    ]


def test_numbering_from_a_paragraph_style_and_the_python_docx_list_styles():
    document = Document()
    document.add_paragraph("资格要求：")
    document.add_paragraph("具有独立承担民事责任的能力；", style="List Number")
    document.add_paragraph("依法缴纳税收和社会保障资金；", style="List Number")
    document.add_paragraph("项目符号不是编号", style="List Bullet")
    buf = io.BytesIO()
    document.save(buf)
    assert lines(buf.getvalue()) == [
        "资格要求：",
        "1. 具有独立承担民事责任的能力；",
        "2. 依法缴纳税收和社会保障资金；",
        "项目符号不是编号",
    ]


@pytest.mark.parametrize(
    ("number", "fmt", "shown"),
    [
        (11, "chineseCounting", "十一"),
        (120, "chineseCountingThousand", "一百二十"),
        (3, "chineseLegalSimplified", "叁"),
        (2, "ideographTraditional", "乙"),
        (3, "decimalEnclosedCircle", "③"),
        (4, "lowerRoman", "iv"),
        (28, "upperLetter", "BB"),
        (7, "decimalFullWidth", "７"),
        (5, "decimalZero", "05"),
        (9, "somethingNew", "9"),
    ],
)
def test_number_formats(number, fmt, shown):
    assert format_number(number, fmt) == shown


def test_hidden_text_is_not_read():
    hidden = "<w:r><w:rPr><w:vanish/></w:rPr><w:t>（内部备注：待删）</w:t></w:r>"
    assert lines(o.docx(o.p("第一条　正文。", hidden))) == ["第一条\u3000正文。"]


def test_tracked_changes_read_as_accepted():
    body = o.p("第一条　申请人应当", o.deleted("在本区注册满三年并"), o.ins("依法"), "纳税。") + o.p(
        o.deleted("整段删除的旧条文。")
    )
    assert lines(o.docx(body)) == ["第一条\u3000申请人应当依法纳税。"]


def test_tables_text_boxes_and_soft_breaks_are_read_in_place():
    body = (
        o.p("正文第一段", o.textbox(o.p("文本框中的说明"), o.p("第二行")))
        + o.table(
            [["一级指标", "二级指标", "指标值"], ["产出指标", "数量", "500人"], ["", "质量", "100%"]],
            merged_down={(2, 0)},
        )
        + o.p("第一章　总则", o.soft_break(), "第一条　为了规范管理。")
    )
    assert lines(o.docx(body)) == [
        "正文第一段",
        "文本框中的说明",  # once, although Word stores the box twice (DrawingML and VML)
        "第二行",
        "一级指标 | 二级指标 | 指标值",
        "产出指标 | 数量 | 500人",
        "质量 | 100%",  # the merged cell is not repeated
        "第一章\u3000总则",
        "第一条\u3000为了规范管理。",
    ]


def test_fields_show_their_result_and_a_table_of_contents_is_skipped():
    toc = (
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> TOC \\o "1-3" </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        + o.r("第一章 总则\t1")
        + "</w:p>"
        + o.p("第二章 附则\t3")
        + '<w:p><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )
    body = toc + o.p(
        "见本办法",
        o.field("REF _Ref1 \\h", "第三条"),
        "，自",
        o.simple_field("DATE", "2026年3月1日"),
        "起施行。",
    )
    assert lines(o.docx(body)) == ["见本办法第三条，自2026年3月1日起施行。"]


def test_comments_headers_and_footers_are_not_text_footnotes_come_last():
    body = o.p("依据《中华人民共和国预算法》", o.footnote_mark(1), o.comment_mark(0, "第十四条"), "。")
    data = o.docx(
        body,
        footnotes=["全国人民代表大会常务委员会2018年修正。"],
        comments=["请核对条文序号"],
        header=o.p("区财政局文件"),
        footer=o.p("第 1 页"),
    )
    assert lines(data) == [
        "依据《中华人民共和国预算法》第十四条。",
        "脚注1：全国人民代表大会常务委员会2018年修正。",
    ]
    assert lines(data, notes=False) == ["依据《中华人民共和国预算法》第十四条。"]


def test_fullwidth_indentation_is_trimmed_and_an_empty_document_has_no_lines():
    assert text(o.docx(o.p("\u3000\u3000第一条\u3000为了规范管理。\u3000"))) == "第一条\u3000为了规范管理。"
    assert lines(o.docx(o.p("") + o.p("\u3000"))) == []


def test_a_strict_open_xml_document_is_read():
    strict = o.docx(o.p("第一条　严格格式。"))
    package = o.replace_part(
        strict,
        "word/document.xml",
        (
            '<w:document xmlns:w="http://purl.oclc.org/ooxml/wordprocessingml/main"><w:body>'
            "<w:p><w:r><w:t>第一条　严格格式。</w:t></w:r></w:p></w:body></w:document>"
        ).encode(),
    )
    assert lines(package) == ["第一条\u3000严格格式。"]


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    bomb = o.zip_bomb(o.docx(o.p("正文")), "word/document.xml", 300)
    assert len(bomb) < 2 * 1024 * 1024
    with pytest.raises(ValidationFailed, match="解压后超过 256 MB"):
        lines(bomb, name="通知.docx")


def test_a_damaged_package_gets_a_message_saying_what_to_do():
    with pytest.raises(ValidationFailed, match="已损坏.*另存为"):
        lines(o.docx(o.p("正文"))[:3000], name="通知.docx")
    with pytest.raises(ValidationFailed, match="已损坏"):
        lines(o.replace_part(o.docx(o.p("x")), "word/document.xml", b"<w:document"), name="通知.docx")


def test_a_package_without_numbering_or_styles_parts_is_read():
    # Documents written by other tools often carry only the parts they use.
    package = o.docx(o.p("第一条　正文。"))
    for part in ("word/numbering.xml", "word/styles.xml"):
        package = o.drop_part(package, part)
    assert lines(package) == ["第一条\u3000正文。"]
