"""Reading an uploaded .docx: paragraphs, tables and numbered lists, in document order."""

from __future__ import annotations

import io

from docx import Document

from fazhi.review.precheck.docx import docx_text, is_docx


def make_docx() -> bytes:
    doc = Document()
    doc.add_paragraph("区级政府采购项目招标文件")
    doc.add_paragraph("投标人资格要求如下：")
    doc.add_paragraph("具有独立承担民事责任的能力；", style="List Number")
    doc.add_paragraph("投标人须在本市设有售后服务网点；", style="List Number")
    table = doc.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "评分因素"
    table.cell(0, 1).text = "分值"
    table.cell(1, 0).text = "本地注册的供应商"
    table.cell(1, 1).text = "加2分"
    doc.add_paragraph("投标保证金为采购项目预算金额的5%。")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def test_it_keeps_document_order_numbers_lists_and_joins_table_cells():
    lines = docx_text(make_docx()).split("\n")
    assert lines == [
        "区级政府采购项目招标文件",
        "投标人资格要求如下：",
        "1. 具有独立承担民事责任的能力；",
        "2. 投标人须在本市设有售后服务网点；",
        "评分因素 | 分值",
        "本地注册的供应商 | 加2分",
        "投标保证金为采购项目预算金额的5%。",
    ]


def test_it_recognises_a_docx_by_content_not_name():
    assert is_docx(make_docx())
    assert not is_docx(b"%PDF-1.7 not a word file")
    assert not is_docx(b"PK\x03\x04 broken zip")
    assert not is_docx(b"")
