"""The text of a .docx as a reader sees it in Word or WPS: one implementation for every reader.

Contract: `lines(data, notes=True)` → the body's paragraphs in document order, one line each, with what
Word shows and python-docx's `paragraph.text` misses:

- automatic numbering (第一条, 一、, （一）, 1.) written out from numbering.xml, as Word draws it
  (counted in `docx_numbering`);
- text formatted as hidden (隐藏文字) left out, as Word neither shows nor prints it;
- tracked changes: inserted text (w:ins) is read, deleted text (w:del) is not — the text as it reads
  once the changes are accepted;
- tables row by row where they stand (cells joined by " | "; a merged cell once), text boxes after the
  paragraph they are anchored to, content controls, fields (their shown result, not the field code),
  soft line breaks (Shift+Enter) as new lines;
- with `notes=True`, footnotes and endnotes at the end ("脚注1：…"); comments (批注), headers and footers
  are never read: they are not the document's text.

The package is read with the standard library and lxml, part by part (never images), after checking
the unpacked size, so a crafted archive cannot exhaust memory. Refusals raise `ValidationFailed` with
a Chinese message saying what to do. Strict Open XML (Word's "严格 Open XML 文档") is read as well.
"""

from __future__ import annotations

import io
import logging
import posixpath
import zipfile
from typing import Any

from lxml import etree

from fazhi.core.docx_numbering import _Numbering
from fazhi.core.docx_numbering import format_number as format_number  # re-exported: part of the reader's API
from fazhi.core.errors import ValidationFailed
from fazhi.core.uploads import called, check_zip

W_NAMESPACES = (
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",  # Strict Open XML
)
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
M = "http://schemas.openxmlformats.org/officeDocument/2006/math"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
REL_TYPES = {  # transitional and strict relationship type URIs end the same way
    "officeDocument": "/officeDocument",
    "numbering": "/numbering",
    "styles": "/styles",
    "footnotes": "/footnotes",
    "endnotes": "/endnotes",
}
# A single XML part larger than this is no real document (a 500-page draft is a few MB).
MAX_PART_BYTES = 64 * 1024 * 1024
CELL_SEPARATOR = " | "

log = logging.getLogger(__name__)

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)

BROKEN = "{name}已损坏，无法读取其内容。请用 Word 或 WPS 打开后“另存为”.docx 文件再上传。"


def lines(data: bytes, *, name: str = "", notes: bool = True) -> list[str]:
    """The document's paragraphs (stripped, empty ones dropped); see the module contract."""
    label = called(name)
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise ValidationFailed(BROKEN.format(name=label)) from exc
    with zf:
        check_zip(zf, name=name)
        try:
            package = _Package(zf)
            reader = _Reader(package)
            out = reader.body()
            if notes:
                out += reader.notes("footnotes", "脚注")
                out += reader.notes("endnotes", "尾注")
        except Exception as exc:  # any part the reader cannot make sense of: the user gets what to do
            log.warning("unreadable .docx %r", name, exc_info=True)
            raise ValidationFailed(BROKEN.format(name=label)) from exc
    return [s for s in (line.strip() for line in out) if s]


def text(data: bytes, *, name: str = "", notes: bool = True) -> str:
    """`lines` joined by newlines."""
    return "\n".join(lines(data, name=name, notes=notes))


# --- the package -----------------------------------------------------------------------------------


class _Package:
    """The parts of the main document: located through the relationships, as Word does."""

    def __init__(self, zf: zipfile.ZipFile) -> None:
        self.zf = zf
        self.names = set(zf.namelist())
        main = self._target("", "_rels/.rels", "officeDocument") or "word/document.xml"
        self.main_name = main
        self.document = self.xml(main)
        if self.document is None:
            raise KeyError(main)
        directory = posixpath.dirname(main)
        rels = posixpath.join(directory, "_rels", posixpath.basename(main) + ".rels")
        self.related = {
            kind: self._target(directory, rels, kind)
            for kind in ("numbering", "styles", "footnotes", "endnotes")
        }
        self.w = etree.QName(self.document).namespace or W_NAMESPACES[0]

    def _target(self, base: str, rels_name: str, kind: str) -> str | None:
        rels = self.xml(rels_name)
        if rels is None:
            return None
        for rel in rels.iter(f"{{{PKG_REL}}}Relationship"):
            if rel.get("Type", "").endswith(REL_TYPES[kind]) and rel.get("TargetMode") != "External":
                target = rel.get("Target", "")
                path = target.lstrip("/") if target.startswith("/") else posixpath.join(base, target)
                return posixpath.normpath(path)
        return None

    def xml(self, name: str | None) -> Any:
        if not name or name not in self.names:
            return None
        if self.zf.getinfo(name).file_size > MAX_PART_BYTES:
            raise ValueError(f"{name} too large")
        return etree.fromstring(self.zf.read(name), _PARSER)

    def part(self, kind: str) -> Any:
        return self.xml(self.related.get(kind))


# --- the body ------------------------------------------------------------------------------------


class _Reader:
    def __init__(self, package: _Package) -> None:
        self.package = package
        self.w = package.w
        self.numbering = _Numbering(package)
        self.fields: list[list[Any]] = []  # open complex fields: [instruction, showing result]

    def _q(self, tag: str) -> str:
        return f"{{{self.w}}}{tag}"

    def body(self) -> list[str]:
        body = self.package.document.find(self._q("body"))
        return self._blocks(body) if body is not None else []

    def notes(self, kind: str, label: str) -> list[str]:
        root = self.package.part(kind)
        if root is None:
            return []
        out: list[str] = []
        number = 0
        for note in root.iter(self._q(kind[:-1])):
            if note.get(self._q("type")) in ("separator", "continuationSeparator", "continuationNotice"):
                continue
            number += 1
            text = " ".join(s.strip() for s in self._blocks(note) if s.strip())
            if text:
                out.append(f"{label}{number}：{text}")
        return out

    def _blocks(self, container: Any) -> list[str]:
        """Paragraphs, tables and content controls of a container (body, cell, text box, note)."""
        out: list[str] = []
        for child in container:
            tag = child.tag
            if tag == self._q("p"):
                out += self._paragraph(child)
            elif tag == self._q("tbl"):
                out += self._table(child)
            elif tag == self._q("sdt"):
                if not self._is_toc(child):
                    content = child.find(self._q("sdtContent"))
                    if content is not None:
                        out += self._blocks(content)
            elif tag == self._q("customXml") or tag in (self._q("ins"), self._q("moveTo")):
                out += self._blocks(child)
            elif tag == f"{{{MC}}}AlternateContent":
                chosen = self._alternate(child)
                if chosen is not None:
                    out += self._blocks(chosen)
        return out

    def _is_toc(self, sdt: Any) -> bool:
        gallery = sdt.find(f"{self._q('sdtPr')}/{self._q('docPartObj')}/{self._q('docPartGallery')}")
        return gallery is not None and "Table of Contents" in gallery.get(self._q("val"), "")

    def _alternate(self, node: Any) -> Any:
        """mc:AlternateContent: the first choice (what Word 2010+ shows), else the fallback."""
        chosen = node.find(f"{{{MC}}}Choice")
        return chosen if chosen is not None else node.find(f"{{{MC}}}Fallback")

    def _children(self, node: Any, tag: str) -> list[Any]:
        """Rows of a table / cells of a row, also when wrapped in content controls or custom XML."""
        out = []
        for child in node:
            if child.tag == self._q(tag):
                out.append(child)
            elif child.tag == self._q("sdt"):
                content = child.find(self._q("sdtContent"))
                if content is not None:
                    out += self._children(content, tag)
            elif child.tag == self._q("customXml"):
                out += self._children(child, tag)
        return out

    def _table(self, tbl: Any) -> list[str]:
        """One line per row; a cell merged across rows or columns is one cell, read once."""
        out = []
        for tr in self._children(tbl, "tr"):
            cells = []
            for tc in self._children(tr, "tc"):
                text = " ".join(s.strip() for s in self._blocks(tc) if s.strip())
                if text:
                    cells.append(text)
            if cells:
                out.append(CELL_SEPARATOR.join(cells))
        return out

    def _paragraph(self, p: Any) -> list[str]:
        ppr = p.find(self._q("pPr"))
        # A paragraph whose mark was deleted with 修订 on is gone (or merged): it takes no number. Any
        # other numbered paragraph advances its list even when empty, as the numbers Word draws do.
        mark_deleted = ppr is not None and ppr.find(f"{self._q('rPr')}/{self._q('del')}") is not None
        number = "" if mark_deleted else self.numbering.label(ppr)
        boxes: list[str] = []
        pieces: list[str] = []
        self._inline(p, pieces, boxes)
        text = "".join(pieces).strip()
        if not text:
            return boxes
        return (number + text).split("\n") + boxes

    def _showing(self) -> bool:
        """Text is read unless it is a field's code, or inside a table of contents."""
        return all(shown and not instr.lstrip().upper().startswith("TOC") for instr, shown in self.fields)

    def _inline(self, node: Any, pieces: list[str], boxes: list[str]) -> None:
        for child in node:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            if tag == self._q("r"):
                self._run(child, pieces, boxes)
            elif tag in (self._q("del"), self._q("moveFrom"), self._q("pPr"), self._q("rPr")):
                continue  # deleted text, and properties, are not text
            elif tag == self._q("sdt"):
                content = child.find(self._q("sdtContent"))
                if content is not None:
                    self._inline(content, pieces, boxes)
            elif tag == f"{{{MC}}}AlternateContent":
                chosen = self._alternate(child)
                if chosen is not None:
                    self._inline(chosen, pieces, boxes)
            elif tag in (f"{{{M}}}oMath", f"{{{M}}}oMathPara"):
                if self._showing():
                    pieces.append("".join(t.text or "" for t in child.iter(f"{{{M}}}t")))
            elif tag == self._q("ruby"):
                base = child.find(self._q("rubyBase"))
                if base is not None:
                    self._inline(base, pieces, boxes)
            else:  # w:ins, w:hyperlink, w:smartTag, w:fldSimple, w:customXml, w:moveTo, w:dir, w:bdo…
                self._inline(child, pieces, boxes)

    def _run(self, run: Any, pieces: list[str], boxes: list[str]) -> None:
        vanish = run.find(f"{self._q('rPr')}/{self._q('vanish')}")
        hidden = vanish is not None and vanish.get(self._q("val"), "true") not in ("0", "false", "off")
        for child in run:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            if tag == self._q("fldChar"):
                kind = child.get(self._q("fldCharType"))
                if kind == "begin":
                    self.fields.append(["", False])
                elif kind == "separate" and self.fields:
                    self.fields[-1][1] = True
                elif kind == "end" and self.fields:
                    self.fields.pop()
            elif tag == self._q("instrText"):
                if self.fields and not self.fields[-1][1]:
                    self.fields[-1][0] += child.text or ""
            elif tag in (self._q("drawing"), self._q("pict"), self._q("object"), f"{{{MC}}}AlternateContent"):
                self._boxes(child, boxes)
            elif hidden or not self._showing():
                continue  # 隐藏文字 (hidden text) is neither shown nor printed
            elif tag == self._q("t"):
                pieces.append(child.text or "")
            elif tag in (self._q("tab"), self._q("ptab")):
                pieces.append("\t")
            elif tag in (self._q("br"), self._q("cr")):
                pieces.append("\n")
            elif tag == self._q("noBreakHyphen"):
                pieces.append("-")

    def _boxes(self, node: Any, boxes: list[str]) -> None:
        """Text boxes inside a drawing: read once (Word stores each twice, DrawingML and a VML fallback)."""
        if node.tag == f"{{{MC}}}AlternateContent":
            node = self._alternate(node)
            if node is None:
                return
        for content in node.iter(self._q("txbxContent")):
            between = []
            for ancestor in content.iterancestors():
                if ancestor is node:
                    break
                between.append(ancestor.tag)
            # A box inside a box is read with its parent; a VML fallback repeats the DrawingML text.
            if self._q("txbxContent") in between or f"{{{MC}}}Fallback" in between:
                continue
            boxes += self._blocks(content)
