"""Law texts → structure: title, history lines, headings (编/章/节) and articles (条) with 款 and 项.

Contract:
- `parse_markdown(text)` reads the shared data format (`#` title, dated history lines,
  `<!-- INFO END -->`, `##`/`###`/`####` headings, each 条 a paragraph starting 第X条, 款 the
  following paragraphs, 项 starting （一）; `<!-- FORCE BREAK -->` and table markers are layout only).
- `parse_plain(text, title=None)` reads text pasted by an administrator or taken from a .docx/.txt
  (one paragraph per line, headings recognised by their wording: 第X编/第X章/第X节).
- `docx_text(data)` → the paragraphs of a .docx file as plain text, as Word shows them (automatic
  numbering such as 第一条 written out, tracked changes accepted, tables and text boxes in place; see
  fazhi.core.docx_text). `upload_text(name, data)` checks an uploaded .docx/.txt by its content and
  returns its text, with a Chinese message for anything it cannot read.
Both parsers return a `ParsedLaw`; a text without any 第X条 falls back to "一、" numbered
articles, and to one article holding the whole body when it has neither (`as_one_article` makes
that single article of any parsed text).
"""

from __future__ import annotations

import codecs
import datetime as dt
import io
import re
from dataclasses import dataclass, field

import filetype

from fazhi.core.errors import ValidationFailed
from fazhi.core.numerals import NUMERAL_CHARS, article_label, cn_to_int

_N = f"[{NUMERAL_CHARS}]+"
_SPACE = "[ \t\u3000\u2002\u2003\u00a0]"
ARTICLE_START = re.compile(rf"^第({_N})条(?:之({_N}))?(?:{_SPACE}+|$)")
ENUM_START = re.compile(rf"^({_N})、{_SPACE}*")
ITEM_START = re.compile(rf"^[（(]({_N})[)）]")
HEADING = re.compile(rf"^第({_N})(分编|编|章|节)(?:{_SPACE}*)(.*)$")
DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
INFO_END = "<!-- INFO END -->"
_MARKERS = re.compile(r"^<!--.*-->$")
_WS = re.compile(f"{_SPACE}+")


@dataclass
class ParsedArticle:
    number: int
    suffix: int
    label: str
    part: str
    chapter: str
    section: str
    text: str  # the article's words without its label; 款 separated by newlines
    paragraphs: list[dict] = field(default_factory=list)  # [{"text": 款, "items": [项, …]}]


@dataclass
class ParsedLaw:
    title: str
    history: list[dict]  # [{"date": "2017-07-11", "event": "…"}]
    preamble: str
    articles: list[ParsedArticle]

    @property
    def publish_date(self) -> dt.date | None:
        dated = [h for h in self.history if h.get("date")]
        published = [h for h in dated if "公布" in h["event"] or "通过" in h["event"]]
        pick = (published or dated)[-1:] if dated else []
        return dt.date.fromisoformat(pick[0]["date"]) if pick else None

    @property
    def effective_date(self) -> dt.date | None:
        for h in self.history:
            if h.get("date") and "施行" in h["event"]:
                return dt.date.fromisoformat(h["date"])
        return None


_CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])")


def _clean_heading(s: str) -> str:
    """One space between the number and the name; the spaces Word documents put inside a short heading
    to spread it out (第一章　总　　则) are layout, not words: 第一章 总则."""
    s = _WS.sub(" ", s.strip()).strip()
    m = HEADING.match(s)
    if m and m.group(3):
        return f"{s[: m.start(3)].strip()} {_CJK_GAP.sub('', m.group(3))}"
    return s


def _history(lines: list[str]) -> list[dict]:
    """Dated history lines: '1982年12月4日 第五届…通过' or '（2017年7月11日财政部令第87号公布 自…起施行）'."""
    out = []
    for raw in lines:
        line = raw.strip().strip("（）()")
        matches = list(DATE.finditer(line))
        for i, m in enumerate(matches):
            end = matches[i + 1].start() if i + 1 < len(matches) else len(line)
            event = line[m.end() : end].strip(" ，,;；\u3000")
            try:
                date = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
            except ValueError:
                continue
            out.append({"date": date, "event": event})
    return out


class _Builder:
    """Feeds paragraphs and headings in order; collects articles."""

    def __init__(self) -> None:
        self.part = self.chapter = self.section = ""
        self.articles: list[ParsedArticle] = []
        self.preamble: list[str] = []
        self.current: ParsedArticle | None = None

    def heading(self, text: str, level_hint: str = "") -> None:
        text = _clean_heading(text)
        m = HEADING.match(text)
        kind = m.group(2) if m else level_hint
        if kind in ("编", "分编"):
            self.part, self.chapter, self.section = text, "", ""
        elif kind == "节":
            self.section = text
        else:  # 章, or a heading like 序言 / 一、附则 / 总则
            self.chapter, self.section = text, ""
        self.current = None

    def start_article(self, number: int, suffix: int, label: str, rest: str) -> None:
        self.current = ParsedArticle(
            number=number,
            suffix=suffix,
            label=label,
            part=self.part,
            chapter=self.chapter,
            section=self.section,
            text="",
            paragraphs=[],
        )
        self.articles.append(self.current)
        if rest:
            self.paragraph(rest)

    def paragraph(self, text: str) -> None:
        text = text.strip()
        if not text:
            return
        if self.current is None:
            self.preamble.append(text)
            return
        paras = self.current.paragraphs
        if ITEM_START.match(text) and paras:
            paras[-1]["items"].append(text)
        else:
            paras.append({"text": text, "items": []})

    def finish(self) -> list[ParsedArticle]:
        for art in self.articles:
            lines = []
            for p in art.paragraphs:
                lines.append(p["text"])
                lines.extend(p["items"])
            art.text = "\n".join(lines)
        return self.articles


def _blocks_markdown(body: str) -> list[tuple[str, str]]:
    """('heading', text, hint) / ('para', text) blocks of the markdown body, blank-line separated."""
    blocks: list[tuple[str, str]] = []
    buf: list[str] = []

    def flush() -> None:
        if buf:
            blocks.append(("para", "".join(s.strip() for s in buf)))
            buf.clear()

    for line in body.split("\n"):
        stripped = line.strip()
        if not stripped or _MARKERS.match(stripped):
            flush()
            continue
        if stripped.startswith("#"):
            flush()
            blocks.append(("heading", stripped.lstrip("#").strip()))
            continue
        buf.append(stripped)
    flush()
    return blocks


def _feed(blocks: list[tuple[str, str]], *, plain: bool) -> tuple[list[ParsedArticle], list[str]]:
    has_articles = any(kind == "para" and ARTICLE_START.match(text) for kind, text in blocks)
    has_enum = not has_articles and any(kind == "para" and ENUM_START.match(text) for kind, text in blocks)
    b = _Builder()
    for kind, text in blocks:
        if kind == "heading":
            b.heading(text)
            continue
        if plain and len(text) <= 40 and HEADING.match(text) and "。" not in text:
            b.heading(text)
            continue
        m = ARTICLE_START.match(text)
        if has_articles and m:
            number = cn_to_int(m.group(1))
            suffix = cn_to_int(m.group(2)) if m.group(2) else 0
            b.start_article(number, suffix, article_label(number, suffix), text[m.end() :])
            continue
        e = ENUM_START.match(text)
        if has_enum and e:
            b.start_article(cn_to_int(e.group(1)), 0, f"{e.group(1)}、", text[e.end() :])
            continue
        b.paragraph(text)
    articles = b.finish()
    if not articles and b.preamble:
        # Neither 第X条 nor 一、: the whole body is one unit, so it is still readable and searchable.
        return [_whole(b.preamble)], []
    return articles, b.preamble


def _whole(lines: list[str]) -> ParsedArticle:
    return ParsedArticle(
        number=1,
        suffix=0,
        label="全文",
        part="",
        chapter="",
        section="",
        text="\n".join(lines),
        paragraphs=[{"text": p, "items": []} for p in lines],
    )


def as_one_article(parsed: ParsedLaw) -> ParsedLaw:
    """The same text as one 全文 article, for a text whose own numbering repeats (a notice whose attachment
    numbers its items 一、 again): every word stays readable and searchable, only the split is given up."""
    lines = parsed.preamble.splitlines()
    headings: tuple[str, ...] = ("", "", "")
    for a in parsed.articles:
        # The 编/章/节 headings stay in the text too, each where it begins.
        now = (a.part, a.chapter, a.section)
        lines += [h for h, before in zip(now, headings, strict=True) if h and h != before]
        headings = now
        first, *rest = a.text.split("\n")
        gap = "" if a.label.endswith("、") else " "
        lines += [f"{a.label}{gap}{first}", *rest]
    return ParsedLaw(title=parsed.title, history=parsed.history, preamble="", articles=[_whole(lines)])


def parse_markdown(text: str) -> ParsedLaw:
    """Parse the shared data's markdown format."""
    text = text.replace("\r\n", "\n")
    if INFO_END in text:
        header, body = text.split(INFO_END, 1)
    else:
        header, body = "", text
    title = ""
    history_lines = []
    for line in header.split("\n"):
        s = line.strip()
        if s.startswith("# ") and not title:
            title = s[2:].strip()
        elif s:
            history_lines.append(s)
    if not title:
        for line in body.split("\n"):
            if line.startswith("# "):
                title = line[2:].strip()
                break
    body = "\n".join(line for line in body.split("\n") if not line.startswith("# "))
    articles, preamble = _feed(_blocks_markdown(body), plain=False)
    return ParsedLaw(
        title=_clean_heading(title),
        history=_history(history_lines),
        preamble="\n".join(preamble),
        articles=articles,
    )


def parse_plain(text: str, title: str | None = None) -> ParsedLaw:
    """Parse pasted text or text from a .docx/.txt: one paragraph per line, headings by wording."""
    lines = [ln.strip() for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines = [ln for ln in lines if ln]
    if any(ln.startswith("#") for ln in lines) or INFO_END in text:
        parsed = parse_markdown(text)
        if title:
            parsed.title = title
        return parsed
    # Header: everything before the first heading or article.
    first_body = len(lines)
    for i, ln in enumerate(lines):
        if ARTICLE_START.match(ln) or (HEADING.match(ln) and len(ln) <= 40):
            first_body = i
            break
    else:
        # Neither 第X条 nor 第X章 (a notice): the body starts at its first 一、 item, else after the title,
        # so that the fallbacks of `_feed` (一、 articles, one 全文 article) see it.
        enum = next((i for i, ln in enumerate(lines) if ENUM_START.match(ln)), None)
        titled = bool(lines) and (not title or _clean_heading(lines[0]) == _clean_heading(title))
        first_body = enum if enum is not None else int(titled)
    header, body = lines[:first_body], lines[first_body:]
    if not title and header:
        title = header.pop(0)
    elif header and _clean_heading(header[0]) == _clean_heading(title or ""):
        header.pop(0)  # the given title, repeated as the text's first line
    history_lines = [ln for ln in header if DATE.search(ln)]
    other_header = [ln for ln in header if not DATE.search(ln)]
    articles, preamble = _feed([("para", ln) for ln in body], plain=True)
    return ParsedLaw(
        title=_clean_heading(title or ""),
        history=_history(history_lines),
        preamble="\n".join(other_header + preamble),
        articles=articles,
    )


def docx_text(data: bytes, name: str = "") -> str:
    """The body of a .docx file, one paragraph per line (ValueError with the reason for a file that
    cannot be read). Footnotes are left out: they are editorial notes, not articles."""
    from fazhi.core import docx_text as reader

    try:
        return reader.text(data, name=name, notes=False)
    except ValidationFailed as exc:
        raise ValueError(exc.message) from exc


# Byte order marks of the Unicode encodings Windows Notepad and WPS offer when saving a .txt.
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def decode_text(data: bytes) -> str:
    """A .txt upload as text: UTF-8 (with or without BOM), UTF-16 with a BOM (Notepad's "Unicode"),
    else GB18030 (a superset of GBK and GB2312); ValueError if none fits."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                break
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError("无法识别文本文件的编码，请在记事本或 WPS 中另存为 UTF-8 编码后重新上传")


def upload_text(name: str, data: bytes, *, max_bytes: int) -> str:
    """The text of an uploaded .docx or .txt, judged by its content (never its name); ValidationFailed
    with a Chinese message saying what to do for an empty, oversized, old-format, password-protected,
    damaged or other file."""
    from fazhi.core import uploads

    name = name or "上传的文件"
    if not data:
        raise ValidationFailed(f"文件“{name}”是空的，请重新选择 .docx 或 .txt 文件。")
    if len(data) > max_bytes:
        raise ValidationFailed(
            f"文件“{name}”超过 {max_bytes // (1024 * 1024)} MB，请删除其中的图片或拆分后上传，也可以直接粘贴全文。"
        )
    if (kind := uploads.ole_kind(data)) is not None:
        raise ValidationFailed(uploads.ole_refusal(kind, name, wanted="docx"))
    if data.startswith(b"PK\x03\x04"):
        found = uploads.detect(io.BytesIO(data))
        if found == uploads.XLSX:
            raise ValidationFailed(
                f"文件“{name}”是 Excel 表格，不是 Word 文档。请上传法规的 .docx 或 .txt 文件。"
            )
        try:
            text = docx_text(data, name)
        except ValueError as exc:
            raise ValidationFailed(str(exc)) from exc
        if not text.strip():
            raise ValidationFailed(
                f"没有从文件“{name}”中读到文字（可能是空白文档，或全文是扫描图片），请检查后重新上传，或直接粘贴全文。"
            )
        return text
    if data.startswith(b"%PDF"):
        raise ValidationFailed(
            f"文件“{name}”是 PDF 文件，不是 .docx 或 .txt 文件。系统不读取 PDF，请上传 Word 文档或文本文件，"
            "或复制全文后粘贴。"
        )
    has_bom = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if not has_bom and (filetype.guess(data[:8192]) is not None or b"\x00" in data[:4096]):
        raise ValidationFailed(f"文件“{name}”不是 .docx 或 .txt 文本文件，请上传法规的 Word 文档或文本文件。")
    if name.lower().endswith(".docx"):
        # Named .docx but plain text: a damaged or renamed file, never read as text.
        raise ValidationFailed(
            f"{name} 不是有效的 .docx 文件，请在 Word 中另存为 .docx 后重新上传，或粘贴全文。"
        )
    try:
        return decode_text(data)
    except ValueError as exc:
        raise ValidationFailed(f"无法读取文件“{name}”：{exc}。") from exc
