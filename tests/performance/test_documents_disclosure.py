"""预算绩效公开 .docx: A4, page numbers, and each table cell written as it should read."""

from __future__ import annotations

import io

from docx import Document

from fazhi.core.docx_text import lines
from fazhi.performance import documents, selectors


def test_the_disclosure_reads_cleanly_on_a4(published_project):
    data = documents.build_disclosure_docx(selectors.disclosure(unit_code="jyj", year=2026))
    text = lines(data)
    row = next(line for line in text if line.startswith("效益 | 可持续 | 资助政策长效机制"))
    assert "定性建立" not in row and "| 建立并运行 |" in row  # not "定性建立并运行"
    assert any(line.startswith("产出 | 数量 | 资助学生人数 | ≥500人 |") for line in text)
    section = Document(io.BytesIO(data)).sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert section.footer.paragraphs[0].text == "第 1 页 共 1 页"


def test_an_unpublished_year_is_not_downloadable(evaluated_project, client):
    assert client.get("/performance/disclosure/jyj/2026/download.docx").status_code == 404
    assert client.get("/performance/disclosure/jyj/2026/download.xlsx").status_code == 404
