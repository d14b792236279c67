"""The annual report is laid out as a 公文 (GB/T 9704-2012); the figures workbook links open from Excel."""

from __future__ import annotations

import io

from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from fazhi.reports import annual, excel, selectors
from fazhi.reports import figures as figs
from tests.reports.conftest import THIS


def _collected():
    return figs.collect(selectors.parse_context(year=str(THIS), unit="区财政局"))


def test_the_annual_report_is_an_a4_gongwen_with_black_chinese_headings(drafts):
    document = Document(io.BytesIO(annual.build(_collected())))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [round(m.mm) for m in (section.top_margin, section.left_margin)] == [37, 28]
    assert section.footer.paragraphs[0].text == "— 1 —"
    # §7.3.3: 一、 in 黑体, （一） in 楷体, both 3号 and black (python-docx's template draws them blue).
    for style, font in (("Heading 1", "黑体"), ("Heading 2", "楷体_GB2312"), ("Title", "方正小标宋简体")):
        s = document.styles[style]
        assert s.element.rPr.rFonts.get(qn("w:eastAsia")) == font, style
        assert str(s.font.color.rgb) == "000000", style
    first = next(p for p in document.paragraphs if p.text.startswith(annual.HEADINGS[0]))
    assert first.style.name == "Heading 1"


def test_drilldown_links_in_the_figures_workbook_are_absolute_when_the_site_is_known(drafts, settings):
    settings.SITE_URL = "https://fazhi.example.gov.cn"
    ws = load_workbook(io.BytesIO(excel.figures_xlsx(_collected())))["指标"]
    cell = next(row[7] for row in ws.iter_rows(min_row=2) if row[7].value)
    assert cell.value.startswith("https://fazhi.example.gov.cn/reports/records/")
    assert cell.hyperlink is not None and cell.hyperlink.target == cell.value


def test_without_a_site_address_the_link_stays_a_path(drafts, settings):
    settings.SITE_URL = ""
    ws = load_workbook(io.BytesIO(excel.figures_xlsx(_collected())))["指标"]
    cell = next(row[7] for row in ws.iter_rows(min_row=2) if row[7].value)
    assert cell.value.startswith("/reports/records/") and cell.hyperlink is None


def test_an_outsider_cannot_download_the_report_or_the_workbook(login, outsider):
    client = login(outsider)
    assert client.get("/reports/annual.docx").status_code == 403
    assert client.get("/reports/export.xlsx").status_code == 403
