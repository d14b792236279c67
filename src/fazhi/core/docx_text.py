"""The text of a .docx as a reader sees it in Word or WPS: one implementation for every reader.

Contract: `lines(data, notes=True)` → the body's paragraphs in document order, one line each, with what
Word shows and python-docx's `paragraph.text` misses:

- automatic numbering (第一条, 一、, （一）, 1.) written out from numbering.xml, as Word draws it;
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
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from fazhi.core.errors import ValidationFailed
from fazhi.core.numerals import int_to_cn
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


# --- numbering ------------------------------------------------------------------------------------

_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_PAREN = "⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾⑿⒀⒁⒂⒃⒄⒅⒆⒇"
_FULLSTOP = "⒈⒉⒊⒋⒌⒍⒎⒏⒐⒑⒒⒓⒔⒕⒖⒗⒘⒙⒚⒛"
_IDEOGRAPH_CIRCLED = "㈠㈡㈢㈣㈤㈥㈦㈧㈨㈩"
_STEMS = "甲乙丙丁戊己庚辛壬癸"
_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_LEGAL = str.maketrans("一二三四五六七八九十百千万", "壹贰叁肆伍陆柒捌玖拾佰仟万")
_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))  # fmt: skip


def _letters(n: int) -> str:
    # Word repeats the letter: A…Z, AA…ZZ, AAA…
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else ""


def _roman(n: int) -> str:
    out = ""
    for value, symbol in _ROMAN:
        while n >= value:
            out += symbol
            n -= value
    return out


def _from(table: str, n: int) -> str:
    return table[n - 1] if 0 < n <= len(table) else str(n)


def format_number(n: int, fmt: str) -> str:
    """One counter in a Word number format (ECMA-376 §17.18.59 ST_NumberFormat); unknown → decimal."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting",
               "taiwaneseCountingThousand", "koreanCounting"):  # fmt: skip
        return int_to_cn(n)
    if fmt == "chineseLegalSimplified":
        return int_to_cn(n).translate(_LEGAL)
    if fmt in ("ideographDigital", "japaneseDigitalTenThousand", "taiwaneseDigital"):
        return "".join("〇一二三四五六七八九"[int(d)] for d in str(n))
    if fmt == "ideographTraditional":
        return _from(_STEMS, n)
    if fmt == "ideographZodiac":
        return _from(_BRANCHES, n)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese"):
        return _from(_CIRCLED, n)
    if fmt == "decimalEnclosedParen":
        return _from(_PAREN, n)
    if fmt == "decimalEnclosedFullstop":
        return _from(_FULLSTOP, n)
    if fmt == "ideographEnclosedCircle":
        return _from(_IDEOGRAPH_CIRCLED, n)
    if fmt == "decimalFullWidth" or fmt == "decimalFullWidth2":
        return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "upperLetter":
        return _letters(n)
    if fmt == "lowerLetter":
        return _letters(n).lower()
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    return str(n)


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = ""
    suffix: str = "tab"
    legal: bool = False  # isLgl: every level shown in decimal ("1.1" under "第一章")
    restart: int | None = None  # lvlRestart: restart after this (1-based) level; 0 never; None any above
    style: str = ""


@dataclass
class _List:
    levels: dict[int, _Level] = field(default_factory=dict)


class _Numbering:
    """numbering.xml + the numbering carried by paragraph styles; counts as Word does."""

    def __init__(self, package: _Package) -> None:
        self.w = package.w
        self.abstract: dict[str, _List] = {}
        self.nums: dict[str, tuple[str, dict[int, int], dict[int, _Level]]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.pending: set[tuple[str, int]] = set()  # (numId, level) restarts not applied yet
        self.seen: set[str] = set()
        self.style_num: dict[str, tuple[str | None, int | None]] = {}
        self.style_level: dict[str, int] = {}
        self.default_style = ""
        self._links: dict[str, str] = {}  # abstract list → the numbering style it takes its levels from
        self._load(package.part("numbering"))
        self._styles(package.part("styles"))

    def _q(self, tag: str) -> str:
        return f"{{{self.w}}}{tag}"

    def _val(self, el: Any, tag: str) -> str | None:
        child = el.find(self._q(tag)) if el is not None else None
        return child.get(self._q("val")) if child is not None else None

    def _int(self, el: Any, tag: str) -> int | None:
        value = self._val(el, tag)
        try:
            return int(value) if value is not None else None
        except ValueError:
            return None

    def _level(self, lvl: Any) -> _Level:
        legal = lvl.find(self._q("isLgl"))
        start = self._int(lvl, "start")
        return _Level(
            start=1 if start is None else start,
            fmt=self._val(lvl, "numFmt") or "decimal",
            text=self._val(lvl, "lvlText") or "",
            suffix=self._val(lvl, "suff") or "tab",
            legal=legal is not None and legal.get(self._q("val"), "1") not in ("0", "false", "off"),
            restart=self._int(lvl, "lvlRestart"),
            style=self._val(lvl, "pStyle") or "",
        )

    def _load(self, root: Any) -> None:
        if root is None:
            return
        for node in root.iter(self._q("abstractNum")):
            aid = node.get(self._q("abstractNumId"), "")
            levels = {}
            for lvl in node.iter(self._q("lvl")):
                try:
                    levels[int(lvl.get(self._q("ilvl"), "0"))] = self._level(lvl)
                except ValueError:
                    continue
            self.abstract[aid] = _List(levels)
            link = self._val(node, "numStyleLink")
            if link:
                self._links[aid] = link
            for i, level in levels.items():
                if level.style:
                    self.style_level[level.style] = i
        for node in root.iter(self._q("num")):
            nid = node.get(self._q("numId"), "")
            aid = self._val(node, "abstractNumId") or ""
            starts: dict[int, int] = {}
            overrides: dict[int, _Level] = {}
            for override in node.iter(self._q("lvlOverride")):
                try:
                    i = int(override.get(self._q("ilvl"), "0"))
                except ValueError:
                    continue
                start = self._int(override, "startOverride")
                if start is not None:
                    starts[i] = start
                lvl = override.find(self._q("lvl"))
                if lvl is not None:
                    overrides[i] = self._level(lvl)
            self.nums[nid] = (aid, starts, overrides)

    def _styles(self, root: Any) -> None:
        if root is None:
            return
        based: dict[str, str] = {}
        own: dict[str, tuple[str | None, int | None]] = {}
        for style in root.iter(self._q("style")):
            if style.get(self._q("type")) not in (None, "paragraph"):
                continue
            sid = style.get(self._q("styleId"), "")
            if style.get(self._q("default")) in ("1", "true", "on"):
                self.default_style = sid
            parent = self._val(style, "basedOn")
            if parent:
                based[sid] = parent
            ppr = style.find(self._q("pPr"))
            num_pr = ppr.find(self._q("numPr")) if ppr is not None else None
            if num_pr is not None:
                own[sid] = (self._val(num_pr, "numId"), self._int(num_pr, "ilvl"))
        for sid in {*own, *based}:
            seen, current = set(), sid
            while current and current not in own and current not in seen:
                seen.add(current)
                current = based.get(current, "")
            if current in own:
                self.style_num[sid] = own[current]
        # An abstract list linked to a numbering style (numStyleLink) takes its levels from that style's list.
        for aid, link in self._links.items():
            num_id = self.style_num.get(link, (None, None))[0]
            target = self.nums.get(num_id or "", ("", {}, {}))[0]
            if target and target in self.abstract and target != aid:
                self.abstract[aid] = self.abstract[target]

    def label(self, ppr: Any) -> str:
        """The number Word draws before a paragraph with these properties ("" for none), plus the gap."""
        style = self._val(ppr, "pStyle") or self.default_style
        num_pr = ppr.find(self._q("numPr")) if ppr is not None else None
        style_num, style_ilvl = self.style_num.get(style, (None, None))
        num_id = (self._val(num_pr, "numId") if num_pr is not None else None) or style_num
        ilvl = self._int(num_pr, "ilvl") if num_pr is not None else None
        if ilvl is None:
            ilvl = style_ilvl if style_ilvl is not None else self.style_level.get(style, 0)
        if not num_id or num_id == "0" or num_id not in self.nums:
            return ""
        aid, starts, overrides = self.nums[num_id]
        abstract = self.abstract.get(aid)
        if abstract is None:
            return ""
        levels = {**abstract.levels, **overrides}
        level = levels.get(ilvl)
        if level is None:
            return ""
        if num_id not in self.seen:
            self.seen.add(num_id)
            self.pending |= {(num_id, i) for i in starts}
        counters = self.counters.setdefault(aid, {})
        if (num_id, ilvl) in self.pending:
            self.pending.discard((num_id, ilvl))
            counters[ilvl] = starts[ilvl]
        elif ilvl in counters:
            counters[ilvl] += 1
        else:
            counters[ilvl] = level.start
        for deeper in [k for k in counters if k > ilvl]:
            restart = levels[deeper].restart if deeper in levels else None
            if restart is None or (restart > 0 and ilvl <= restart - 1):
                del counters[deeper]
        if level.fmt in ("bullet", "none"):
            return ""

        def number(m: re.Match[str]) -> str:
            i = int(m.group(1)) - 1
            at = levels.get(i, _Level())
            value = counters.get(i, at.start)
            return format_number(value, "decimal" if level.legal else at.fmt)

        shown = re.sub(r"%([1-9])", number, level.text).strip()
        if not shown:
            return ""
        if level.suffix == "nothing" and shown[-1] in "、.．)）:：":
            return shown
        # The gap Word leaves (a tab or a space) is one space; CJK numbers get the 全角 space of 公文.
        return shown + ("\u3000" if re.search(r"[\u4e00-\u9fff]", shown) else " ")


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
