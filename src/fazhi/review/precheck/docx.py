"""Text of an uploaded .docx: body paragraphs and table rows in document order, numbered lists numbered.

Contract: `is_docx(data)` checks the content (a zip holding word/document.xml), not the file name;
`docx_text(data)` → plain text, one paragraph per line. Word's automatic list numbers are not part of
a paragraph's text, so they are written out ("1. ", "2. "…) to keep list structure visible to the rules.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from docx import Document
from docx.oxml.ns import qn


def is_docx(data: bytes) -> bool:
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return "word/document.xml" in z.namelist()
    except zipfile.BadZipFile:
        return False


def _num_pr(p_element: Any, style: Any) -> Any:
    """The numbering properties of a paragraph: its own, else its style's (e.g. "List Number")."""
    ppr = p_element.find(qn("w:pPr"))
    num_pr = ppr.find(qn("w:numPr")) if ppr is not None else None
    while num_pr is None and style is not None:
        sppr = style.element.find(qn("w:pPr"))
        num_pr = sppr.find(qn("w:numPr")) if sppr is not None else None
        style = style.base_style
    return num_pr


def _number_of(p_element: Any, style: Any, counters: dict[tuple[str, str], int]) -> str:
    num_pr = _num_pr(p_element, style)
    if num_pr is None:
        return ""
    num_id = num_pr.find(qn("w:numId"))
    ilvl = num_pr.find(qn("w:ilvl"))
    key = (
        num_id.get(qn("w:val")) if num_id is not None else "0",
        ilvl.get(qn("w:val")) if ilvl is not None else "0",
    )
    if key[0] == "0":  # numId 0 switches numbering off
        return ""
    # A new item at a level restarts the deeper levels of the same list.
    for other in [k for k in counters if k[0] == key[0] and int(k[1]) > int(key[1])]:
        del counters[other]
    counters[key] = counters.get(key, 0) + 1
    return f"{counters[key]}. "


def _cell_text(cell: Any) -> str:
    return " ".join(p.text.strip() for p in cell.paragraphs if p.text.strip())


def docx_text(data: bytes) -> str:
    """Paragraphs and table rows (cells joined by ' | ') in document order."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = Document(io.BytesIO(data))
    body = document.element.body
    lines: list[str] = []
    counters: dict[tuple[str, str], int] = {}
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            para = Paragraph(child, document)
            text = para.text.strip()
            if text:
                lines.append(_number_of(child, para.style, counters) + text)
        elif child.tag == qn("w:tbl"):
            table = Table(child, document)
            for row in table.rows:
                cells: list[str] = []
                for cell in row.cells:
                    text = _cell_text(cell)
                    if text and (not cells or cells[-1] != text):  # merged cells repeat their text
                        cells.append(text)
                if cells:
                    lines.append(" | ".join(cells))
    return "\n".join(lines)
