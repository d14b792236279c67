"""Page layout for the .docx files fazhi writes: A4, Chinese fonts, black headings, page numbers.

python-docx starts from a US Letter template with blue Calibri headings; a bureau prints on A4 and files
documents in the 党政机关公文 layout. Two layouts, each one call on a new Document:

- `gongwen(doc)`: GB/T 9704-2012《党政机关公文格式》 for documents the bureau issues (审查意见书, the
  annual report): A4; 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm (§5.2.1–5.2.2); body 3号仿宋, 22 lines
  of 28 characters (§5.2.3); title 2号小标宋 (§7.3.2); 层次 一、 黑体, （一） 楷体 (§7.3.3); page numbers
  "— 1 —" in 4号宋体, odd pages right and even pages left, one character in from the edge (§7.5).
- `report(doc)`: working papers that are printed and signed (评标报告, 绩效公开表): A4, 25/20 mm
  margins, 宋体 body, black 黑体 headings, "第 1 页 共 3 页" centred at the foot of every page.
"""

from __future__ import annotations

from typing import Any

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

# Chinese font sizes (字号) in points.
SIZE_2 = 22  # 二号
SIZE_3 = 16  # 三号
SIZE_4 = 14  # 四号
SIZE_5 = 10.5  # 五号

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
REPORT_FONT = "宋体"
BLACK = RGBColor(0, 0, 0)


def set_font(target: Any, name: str, size: float | None = None, *, bold: bool | None = None) -> None:
    """Font of a style or a run for Chinese and Latin text alike (python-docx sets only the Latin
    name), in black; theme fonts (which WPS and Word substitute with Calibri/等线) are removed."""
    font = target.font
    font.name = name
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    font.color.rgb = BLACK
    element = target.element if hasattr(target, "element") else target._element
    fonts = element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)


def _a4(doc: Any, *, top: float, bottom: float, left: float, right: float, footer: float) -> None:
    for section in doc.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
        section.left_margin, section.right_margin = Mm(left), Mm(right)
        section.footer_distance = Mm(footer)


def _plain_headings(doc: Any, fonts: dict[str, tuple[str, float]]) -> None:
    """Heading styles black, unbordered, in the given fonts (style name → (font, size))."""
    for name, (font, size) in fonts.items():
        style = doc.styles[name]
        set_font(style, font, size, bold=False)
        ppr = style.element.find(qn("w:pPr"))
        if ppr is not None:
            for border in ppr.findall(qn("w:pBdr")):
                ppr.remove(border)


def field_run(paragraph: Any, instruction: str, shown: str) -> list[Any]:
    """A Word field (PAGE, NUMPAGES) in `paragraph`: Word and WPS fill in the value; `shown` is what
    a reader that does not compute fields displays. Returns the runs, for setting their font."""
    runs = []
    for kind, text in (
        ("begin", None),
        ("instr", instruction),
        ("separate", None),
        ("text", shown),
        ("end", None),
    ):
        run = paragraph.add_run()
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {text} "
            run._element.append(instr)
        elif kind == "text":
            run.text = text or ""
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._element.append(char)
        runs.append(run)
    return runs


def _page_number(
    paragraph: Any, *, font: str, size: float, before: str, after: str, total: bool = False
) -> None:
    runs = [paragraph.add_run(before)]
    runs += field_run(paragraph, "PAGE", "1")
    if total:
        runs.append(paragraph.add_run(" 页 共 "))
        runs += field_run(paragraph, "NUMPAGES", "1")
    runs.append(paragraph.add_run(after))
    for run in runs:
        set_font(run, font, size)


def gongwen(doc: Any) -> None:
    """GB/T 9704-2012 page, fonts and page numbers (see the module docstring for the clauses)."""
    # 版心 156 × 225 mm on A4 (210 × 297): 天头 37, 订口 28 → right 26, bottom 35. The page number's 一字线
    # sits 7 mm under the 版心; a 4号 line is about 5 mm high, so the footer ends 35 − 7 − 5 = 23 mm up.
    _a4(doc, top=37, bottom=35, left=28, right=26, footer=23)
    normal = doc.styles["Normal"]
    set_font(normal, BODY_FONT, SIZE_3)
    fmt = normal.paragraph_format
    # 22 lines in the 225 mm 版心 (= 637.8 pt): exactly 28.95 pt a line.
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(28.95)
    fmt.space_before = fmt.space_after = Pt(0)
    _plain_headings(
        doc,
        {
            "Title": (TITLE_FONT, SIZE_2),
            "Heading 1": (HEADING_FONT, SIZE_3),
            "Heading 2": (SUBHEADING_FONT, SIZE_3),
            "Heading 3": (BODY_FONT, SIZE_3),
        },
    )
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3"):
        pf = doc.styles[name].paragraph_format
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(28.95 if name != "Title" else 36)
        pf.space_before = pf.space_after = Pt(0)
    doc.styles["Title"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.settings.odd_and_even_pages_header_footer = True
    for section in doc.sections:
        odd = section.footer.paragraphs[0]
        odd.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        odd.paragraph_format.right_indent = Pt(SIZE_4)  # 单页码居右空一字
        _page_number(odd, font=PAGE_NUMBER_FONT, size=SIZE_4, before="— ", after=" —")
        even = section.even_page_footer.paragraphs[0]
        even.alignment = WD_ALIGN_PARAGRAPH.LEFT
        even.paragraph_format.left_indent = Pt(SIZE_4)  # 双页码居左空一字
        _page_number(even, font=PAGE_NUMBER_FONT, size=SIZE_4, before="— ", after=" —")


def report(doc: Any, *, body_size: float = SIZE_5) -> None:
    """A4 working paper: 宋体 body, black 黑体 headings, "第 N 页 共 M 页" centred in the footer."""
    _a4(doc, top=25, bottom=25, left=20, right=20, footer=12)
    set_font(doc.styles["Normal"], REPORT_FONT, body_size)
    _plain_headings(
        doc,
        {"Title": (HEADING_FONT, SIZE_2), "Heading 1": (HEADING_FONT, SIZE_3),
         "Heading 2": (HEADING_FONT, SIZE_4), "Heading 3": (HEADING_FONT, 12)},
    )  # fmt: skip
    for section in doc.sections:
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _page_number(footer, font=REPORT_FONT, size=9, before="第 ", after=" 页", total=True)
