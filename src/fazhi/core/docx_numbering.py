"""Automatic numbering of a .docx (numbering.xml and numbered styles) counted and drawn as Word does."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from fazhi.core.numerals import int_to_cn

if TYPE_CHECKING:
    from fazhi.core.docx_text import _Package

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
