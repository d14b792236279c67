"""The text itself: its title (first sentence), its own 文号 (cited ones skipped), and its paragraphs."""

from __future__ import annotations

import re

from fazhi.policies.extract.patterns import _AGENCY_ONLY, ANNOUNCEMENT_NUMBER, DOC_NUMBER, clean

# A news item's dateline (新华社武汉2月12日电（记者 …）) starts its body, never its title.
_DATELINE = re.compile(r"^(?:新华社|中新社|中新网|人民网|央视网|本报讯)|^\S{2,12}\d{1,2}月\d{1,2}日电")


# A scraped page's breadcrumb before the heading: "国家税务总局辽宁省税务局 最新文件 关于印发…的通知".
_BREADCRUMB = re.compile(
    r"^(?P<site>[\u4e00-\u9fa5]{2,40}) (?:最新文件|政策文件|文件通知|通知公告|政策法规|政府信息公开|信息公开|政策解读)"
    r"(?: (?P<rest>.+))?$"
)


def breadcrumb(title: str) -> tuple[str, str]:
    """(the site named in a breadcrumb title, the heading after it): ("国家税务总局辽宁省税务局", "关于印发…的通知")
    for "国家税务总局辽宁省税务局 最新文件 关于印发…的通知"; ("", title) when the title is no breadcrumb. A
    breadcrumb with nothing after it ("山东省人民政府 政策解读") keeps its title."""
    m = _BREADCRUMB.match(title)
    if not m or not _AGENCY_ONLY.match(m.group("site")):
        return "", title
    return m.group("site"), m.group("rest") or title


def breadcrumb_site(text: str) -> str:
    """The site a text opens with when it opens with a breadcrumb (see `breadcrumb`), else ""."""
    head = clean(text)[:200]
    m = _BREADCRUMB.match(head.split(" ", 2)[0] + " " + " ".join(head.split(" ", 2)[1:2]))
    return m.group("site") if m and _AGENCY_ONLY.match(m.group("site")) else ""


# What a heading ends with (its 文种), and a 文号 glued to that end ("…的通知人社部发〔2020〕11号").
_KIND_END = re.compile(
    r"(?:通知|通告|公告|意见|办法|规定|细则|措施|方案|决定|指引|指南|规划|批复|函|倡议书|公开信)》?$"
)
_GLUED_NUMBER = re.compile(
    r"(?<=[知告见法定则施案引南划复函])[\u4e00-\u9fa5]{1,8}[〔\[［【(（](?:19|20)\d\d[〕\]］】)）]第?\d{1,5}号$"
)


def _continues(title: str, previous: str, part: str) -> bool:
    """Whether `part` goes on with the heading begun in `title`: issuers listed one per line (人力资源社会保障部
    财政部 税务总局关于…), a 关于… heading that ends on the next line (关于加强污染防治资金管理 支持打赢…的通知), or
    the 《…》 a headline announces (国家税务总局发布 《…指引》)."""
    if _AGENCY_ONLY.match(previous) and _AGENCY_ONLY.match(part):
        return True
    if len(title) + len(part) > 100:
        return False
    bare = _GLUED_NUMBER.sub("", part)
    if "关于" in title and not _KIND_END.search(title.strip("（）() ")) and _KIND_END.search(bare):
        return True
    return part.startswith("《") and part.endswith("》") and title.endswith(("发布", "印发", "出台"))


def split_title(text: str) -> tuple[str, str]:
    """The title is the first sentence: up to the first space (short fragments such as 财政部 are joined).

    A heading the source repeats (“关于…的通知 关于…的通知”, “某指挥部 某指挥部 关于…”) is kept once, a
    dateline is not joined, and brackets are trimmed from the ends only when unmatched (倡议书（2020年2月26日）
    keeps its closing bracket)."""
    text = clean(text)
    parts = text.split(" ")
    fragments = [parts[0]]
    i = 1
    while (
        i < len(parts)
        and i < 6
        and not _DATELINE.match(parts[i])
        and not (len(parts[i]) <= 40 and parts[i].endswith(("：", ":")))  # a salutation (各省、自治区…：)
        and (
            len(" ".join(fragments)) < 8
            or parts[i].startswith("关于")
            or _AGENCY_ONLY.match(parts[i - 1])
            and len(parts[i]) > 3
            or _continues(" ".join(fragments), parts[i - 1], parts[i])
        )
    ):
        if not any(
            f.startswith(parts[i]) for f in fragments
        ):  # a repeat (or a cut-off repeat) of the heading
            fragments.append(parts[i])
        i += 1
    title = _GLUED_NUMBER.sub("", " ".join(fragments))
    if len(title) > 150:
        cut = re.search(r"[。！？!?]", title)
        title = title[: cut.end()] if cut and cut.end() <= 150 else title[:150]
    _, title = breadcrumb(title)
    return _trim_brackets(title) or text[:60], text


def _balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += ch in "（("
        depth -= ch in "）)"
        if depth < 0:
            return False
    return depth == 0


def _trim_brackets(title: str) -> str:
    """Spaces and brackets off the ends, but a bracket that closes (or opens) a pair inside stays."""
    title = title.strip()
    if len(title) > 2 and title[0] in "（(" and title[-1] in "）)" and _balanced(title[1:-1]):
        title = title[1:-1].strip()  # （关于…的公告）: the whole heading in brackets
    while (
        title
        and title[-1] in "）)"
        and title.count("（") + title.count("(") < title.count("）") + title.count(")")
    ):
        title = title[:-1].rstrip()
    while (
        title
        and title[0] in "（("
        and title.count("（") + title.count("(") > title.count("）") + title.count(")")
    ):
        title = title[1:].lstrip()
    return title


_CITATION_WORD = re.compile(r"根据|按照|依据|参照|比照|依照|详见|参见")
_CITATION_BEFORE = re.compile(
    r"(根据|按照|依据|参照|比照|依照|详见|参见|落实|执行|见)(?:[^，。；：:\s《》]{0,12}《[^》]{0,80}》)?[^，。；：:\s《》]{0,6}$"
)


def _is_citation(head: str, start: int, code: str = "") -> bool:
    """A number inside （…） or 《…》, or right after 根据/按照/依据/参照…, cites another document."""
    if _CITATION_WORD.search(code):
        return True  # the code matched '根据国家税务总局公告'
    before = head[:start]
    if before.count("（") + before.count("(") > before.count("）") + before.count(")"):
        return True  # 《…》（国办发〔2020〕6号）
    if before.count("《") > before.count("》"):
        return True
    return bool(_CITATION_BEFORE.search(before))


def parse_doc_number(text: str) -> tuple[str, str, int | None, int | None]:
    """(文号, 机关代字, 年, 号) from the head of the text; cited documents are skipped."""
    head = text[:400]
    for m in DOC_NUMBER.finditer(head):
        if _is_citation(head, m.start(), m.group("code")):
            continue
        code = m.group("code").strip()
        code = re.sub(r"^.*?(?:通知|公告|意见|办法|措施|通告)", "", code) or code
        number = f"{code}〔{m.group('year')}〕{int(m.group('serial'))}号"
        return number, code, int(m.group("year")), int(m.group("serial"))
    for m2 in ANNOUNCEMENT_NUMBER.finditer(head):
        if _is_citation(head, m2.start(), m2.group("code")):
            continue  # 根据《…》（国家税务总局公告2015年第102号）
        code = m2.group("code").split(" ")[-1]
        code = re.sub(r"^.*?(?:关于.*?的公告|的公告)", "", code) or code
        number = f"{code}{m2.group('year')}年第{int(m2.group('serial'))}号"
        return number, code, int(m2.group("year")), int(m2.group("serial"))
    return "", "", None, None


# --- paragraphs for reading ------------------------------------------------------------------------
# Scraped texts lost their line breaks; a numbered heading (一、 （二） 第三条 1. ) after a sentence end or a
# space starts a new paragraph again.
_PARAGRAPH_START = re.compile(
    r"(?:(?<=[。；：！？”])|(?<=[。；：！？]\s)|(?<=\s{2}))\s*"
    r"(?=(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[)）]|第[一二三四五六七八九十百]+[条章]|\d{1,2}[、．.](?!\d)))"
)


def paragraphs(text: str) -> list[str]:
    """The text cut into paragraphs: its own line breaks, and before each numbered heading."""
    out: list[str] = []
    for line in (text or "").splitlines():
        out.extend(part.strip() for part in _PARAGRAPH_START.split(line) if part.strip())
    return out
