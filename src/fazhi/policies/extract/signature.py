"""The 落款: the signature date and issuing body, a date under the title, an issuer named in the heading."""

from __future__ import annotations

import datetime as dt
import re

from fazhi.policies.extract.patterns import (
    _AGENCY_AT_START,
    _AGENCY_ONLY,
    _ANNOUNCER_AT_START,
    AGENCY_SUFFIX,
    ANNOUNCEMENT_NUMBER,
    DATE,
    DOC_NUMBER,
    clean,
)
from fazhi.policies.extract.places import _looks_like_agency


def _to_date_groups(m: re.Match[str], first: int) -> dt.date | None:
    try:
        return dt.date(int(m.group(first)), int(m.group(first + 1)), int(m.group(first + 2)))
    except ValueError:
        return None


def _to_date(m: re.Match[str]) -> dt.date | None:
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


# A date preceded or followed by one of these is a period boundary or an event, not the 落款 date.
_PERIOD_BEFORE = re.compile(
    r"(至|起|截至|截止|止|自|从|于|在|前|到|由|为|执行|有效期|期限|期为|延长|延至|延期|之日|今年|将|是|即|、|和|及|或)\s*$"
)
_PERIOD_AFTER = re.compile(
    r"^\s*(起|前|止|至|到|以前|之前|以后|之后|后|以来|零时|\d|[—\-－~～]|开始|期间|内|截止|为止|"
    r"施行|实施|执行|生效|零|24时|凌晨|上午|下午|晚|召开|举行|出台|发布的|印发的|的|和|、|及|或)"
)
_SIGNATURE_NOISE = re.compile(
    r"[\s（）()此件公开发布主动扫一扫在手机打开当前页相关解读责任编辑分享链接：:\u200d]"
)
_ISSUED = re.compile(r"^\s*(印发|发布|颁布|公布)(?![《“的])")


def _date_candidates(text: str) -> list[tuple[re.Match[str], str, str]]:
    """Every date with the text just before and after it (spaces kept), period boundaries dropped."""
    out = []
    for m in DATE.finditer(text):
        before = text[max(0, m.start() - 12) : m.start()]
        after = text[m.end() : m.end() + 12]
        if _PERIOD_BEFORE.search(before) or _PERIOD_AFTER.match(after):
            continue
        out.append((m, before, after))
    return out


def _stands_alone(before: str, after: str, at_start: bool) -> bool:
    """The date is a line of its own: a space (or the text's start) before, a space, bracket or end after."""
    left = (
        at_start or before == "" or before[-1:].isspace() or bool(re.search(f"(?:{AGENCY_SUFFIX})$", before))
    )
    right = (
        after == ""
        or after[:1].isspace()
        or after[:1] in "（([【\u200d"
        or after.startswith("责任编辑")
        or bool(_ISSUED.match(after))
    )
    return left and right


def _issuer_before(text: str) -> str:
    """The agency names (space-separated tokens) right before a signature date."""
    before = re.split(r"[。：:；;！!，,]|特此通知|特此公告|特此通告", text)[-1]
    before = re.sub(r"[（(]代章[）)]", "", before)
    names: list[str] = []
    tokens = before.split()
    if tokens and not _AGENCY_ONLY.match(tokens[-1]):
        m = re.search(
            rf"[\u4e00-\u9fa5]{{2,30}}(?:{AGENCY_SUFFIX})$", tokens[-1]
        )  # 山东省人民政府办公厅2020年…印发
        if m and _looks_like_agency(m.group(0)) and len(tokens[-1]) == len(m.group(0)):
            tokens[-1] = m.group(0)
    for token in reversed(tokens):
        if _AGENCY_ONLY.match(token):
            names.insert(0, token)
        elif names and not _looks_like_agency(names[0]) and _looks_like_agency(token + names[0]):
            names[0] = (
                token + names[0]
            )  # a name broken over two lines: '四川省应对新型冠状病毒 肺炎疫情应急指挥部'
        else:
            break
    if names and not _looks_like_agency(names[0]):
        return ""  # '领导小组办公室' alone does not say whose
    issuer = "、".join(names)
    return "" if len(issuer) > 80 else issuer


def parse_signature(text: str) -> tuple[str, dt.date | None]:
    """(issuer, date) from the 落款: a date standing on its own, after the issuer at the end
    ('北京市市场监督管理局 2020年2月3日'), or anywhere as '…办公厅 2020年2月16日' closing a cover letter,
    or 'X年X月X日印发'. Dates inside a sentence (执行至…、自…起、于…前) are never taken."""
    cands = _date_candidates(text)
    tail_start = max(0, len(text) - 300)
    # 1. the signature at the end
    for m, before, after in reversed(cands):
        if m.start() < tail_start:
            break
        rest = text[m.end() :]
        if not _stands_alone(before, after, m.start() == 0):
            continue
        if len(_SIGNATURE_NOISE.sub("", rest)) > 40 and not _ISSUED.match(after):
            continue
        date = _to_date(m)
        if date:
            return _issuer_before(text[: m.start()]), date
    # 2. a cover letter's signature inside the text (the attached measures follow it)
    for m, before, after in cands:
        if not _stands_alone(before, after, m.start() == 0):
            continue
        preceding = text[: m.start()]
        issuer = _issuer_before(preceding)
        closes = bool(re.search(r"[。！!]\s*$", preceding)) and after.lstrip().startswith(("（此件", "(此件"))
        if (issuer and _looks_like_agency(issuer.split("、")[0])) or closes or _ISSUED.match(after):
            date = _to_date(m)
            if date:
                return issuer, date
    return "", None


def first_date(text: str, title: str = "") -> dt.date | None:
    """A date right after the title or 文号 at the top ('…若干意见 （2020年2月10日）')."""
    start = len(title) if title and text.startswith(title) else 0
    head = text[start : start + 80]
    num = DOC_NUMBER.match(head.lstrip()) or ANNOUNCEMENT_NUMBER.match(head.lstrip())
    if num:
        head = head.lstrip()[num.end() :]
    m = re.match(r"^\s*[（(【\[]?\s*", head)
    offset = m.end() if m else 0
    d = DATE.match(head, offset)
    if not d:
        # '…若干意见 （2020年2月10日） 为深入…': a date alone in brackets under the (repeated) title
        p = re.search(r"(?:^|\s)[（(]\s*" + DATE.pattern + r"\s*[）)](?:\s|$)", text[:300])
        return _to_date_groups(p, 1) if p else None
    if _PERIOD_AFTER.match(head[d.end() : d.end() + 12]):
        return None
    return _to_date(d)


# A government body opening a headline, then what it did or a colon: "江西省人民政府印发关于…",
# "财政部、农业农村部联合发布通知要求", "税务总局：落实落细…". Narrower suffixes than AGENCY_SUFFIX: a headline
# also opens with "…新闻发布会召开" or "…医院…", which are not issuers.
_TITLE_AGENCY_SUFFIX = (
    "人民政府办公厅|人民政府办公室|人民政府|办公厅|委员会|管委会|指挥部|领导小组|联防联控机制|总局|总署|"
    "管理局|税务局|局|厅|部|委|署"
)
_TITLE_AGENCY = rf"[\u4e00-\u9fa5]{{2,24}}?(?:{_TITLE_AGENCY_SUFFIX})"
_AGENCY_OPENS_HEADLINE = re.compile(
    rf"^((?:{_TITLE_AGENCY})(?:、{_TITLE_AGENCY})*)"
    r"(?:[：:]|(?:联合|再次|全力|正式)?(?:印发|发布|出台|组织|开展|启动|部署|调拨|推出|公布|下发|发出|对))"
)


def issuer_from_title(title: str) -> str:
    m = _AGENCY_AT_START.search(title)
    if m:
        return re.sub(r"^转发", "", clean(m.group(1))).replace(" ", "、")
    m = _ANNOUNCER_AT_START.match(title)
    if m:
        return m.group(1)
    m = _AGENCY_OPENS_HEADLINE.match(title)
    if m and all(_looks_like_agency(name) for name in m.group(1).split("、")):
        return m.group(1)
    return ""


def issuer_from_head(body: str, title: str) -> str:
    """The issuer printed between the title and its repetition: '关于…的通知 国家发展改革委 关于…的通知 发改价格…'
    or an announcement's own heading '海关总署公告'."""
    rest = body[len(title) :] if body.startswith(title) else body
    tokens = rest[:200].split()
    names: list[str] = []
    for token in tokens[:8]:
        m = re.fullmatch(r"([\u4e00-\u9fa5]{2,30}?)(公告|通告)", token)
        if not names and m and _looks_like_agency(m.group(1)):
            return m.group(1)
        if _AGENCY_ONLY.match(token) and _looks_like_agency(token):
            names.append(token)
            continue
        if names and (token.startswith("关于") or token.startswith(("转发", "印发"))):
            return "、".join(names)
        names = []
    return ""
