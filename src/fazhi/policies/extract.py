"""Metadata from a policy's plain text: title, 文号, date, issuing body, level and keyword facets.

Contract: `extract(text)` returns an Extracted record; every field is empty/None when the text does
not carry it. The facet rules (themes, support types, industries, sizes) are keyword rules and the
policies they produce are flagged `facets_extracted` so pages say they were recognised automatically.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

_SPACE = re.compile(r"[\s\u3000\u2002\u00a0]+")
DOC_NUMBER = re.compile(
    r"(?P<code>[\u4e00-\u9fa5]{1,14}?)\s*[〔\[［【(（](?P<year>(?:19|20)\d\d)[〕\]］】)）]\s*(?:第)?(?P<serial>\d{1,5})\s*号"
)
ANNOUNCEMENT_NUMBER = re.compile(
    r"(?P<code>[\u4e00-\u9fa5]{2,20}公告)\s*(?P<year>(?:19|20)\d\d)年第(?P<serial>\d{1,4})号"
)
DATE = re.compile(r"((?:19|20)\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
AGENCY_SUFFIX = (
    "人民政府办公厅|人民政府办公室|人民政府|办公厅|办公室|委员会|指挥部|领导小组|工作小组|小组|总局|总署|"
    "管理局|监督管理局|分局|中心|银行|分行|研究院|联合会|商会|协会|部|局|厅|委|署|办|院|会"
)
_AGENCY_AT_END = re.compile(rf"([\u4e00-\u9fa5（）()、·\s]{{2,60}}?(?:{AGENCY_SUFFIX}))\s*$")
_AGENCY_ONLY = re.compile(rf"^[\u4e00-\u9fa5（）()]{{2,30}}(?:{AGENCY_SUFFIX})$")
_AGENCY_AT_START = re.compile(rf"^([\u4e00-\u9fa5、\s]{{2,40}}?(?:{AGENCY_SUFFIX}))\s*关于")
_PROVINCES = (
    "北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|海南|四川|贵州|"
    "云南|陕西|甘肃|青海|台湾|内蒙古|广西|西藏|宁夏|新疆|香港|澳门"
)
_PROVINCE_RE = re.compile(rf"^({_PROVINCES})(省|市|自治区|壮族自治区|回族自治区|维吾尔自治区|特别行政区)?")
_NATIONAL_HINTS = (
    "国务院",
    "国家",
    "全国",
    "中共中央",
    "财政部",
    "税务总局",
    "海关总署",
    "人力资源社会保障部",
    "中国人民银行",
    "银保监会",
    "证监会",
)


@dataclass
class Extracted:
    title: str
    body: str
    doc_number: str = ""
    doc_agency_code: str = ""
    doc_year: int | None = None
    doc_serial: int | None = None
    date: dt.date | None = None
    issuer: str = ""
    level: str = ""
    region: str = ""
    themes: list[str] = field(default_factory=list)
    support_types: list[str] = field(default_factory=list)
    industries: list[str] = field(default_factory=list)
    sizes: list[str] = field(default_factory=list)


def clean(text: str) -> str:
    return _SPACE.sub(" ", text or "").strip()


def split_title(text: str) -> tuple[str, str]:
    """The title is the first sentence: up to the first space (short fragments such as 财政部 are joined)."""
    text = clean(text)
    parts = text.split(" ")
    title = parts[0]
    i = 1
    while (
        i < len(parts)
        and i < 6
        and (
            len(title) < 8
            or parts[i].startswith("关于")
            or _AGENCY_ONLY.match(parts[i - 1])
            and len(parts[i]) > 3
        )
    ):
        title = f"{title} {parts[i]}"
        i += 1
    if len(title) > 150:
        cut = re.search(r"[。！？!?]", title)
        title = title[: cut.end()] if cut and cut.end() <= 150 else title[:150]
    title = title.strip("（）() ")
    return title or text[:60], text


def parse_doc_number(text: str) -> tuple[str, str, int | None, int | None]:
    """(文号, 机关代字, 年, 号) from the head of the text; citations inside parentheses are skipped."""
    head = text[:400]
    for m in DOC_NUMBER.finditer(head):
        before = head[: m.start()]
        if before.count("（") + before.count("(") > before.count("）") + before.count(")"):
            continue  # a cited document: 《…》（国办发〔2020〕6号）
        code = m.group("code").strip()
        code = re.sub(r"^.*?(?:通知|公告|意见|办法|措施|通告)", "", code) or code
        number = f"{code}〔{m.group('year')}〕{int(m.group('serial'))}号"
        return number, code, int(m.group("year")), int(m.group("serial"))
    m2 = ANNOUNCEMENT_NUMBER.search(head)
    if m2:
        code = m2.group("code").split(" ")[-1]
        number = f"{code}{m2.group('year')}年第{int(m2.group('serial'))}号"
        return number, code, int(m2.group("year")), int(m2.group("serial"))
    return "", "", None, None


def _to_date(m: re.Match[str]) -> dt.date | None:
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def parse_signature(text: str) -> tuple[str, dt.date | None]:
    """(issuer, date) from the signature at the end ('北京市市场监督管理局 2020年2月3日')."""
    tail = text[-260:]
    matches = list(DATE.finditer(tail))
    if not matches:
        return "", None
    last = matches[-1]
    after = tail[last.end() :]
    if len(re.sub(r"[\s（）()此件公开发布扫一扫在手机打开当前页相关解读责任编辑：:]", "", after)) > 40:
        return "", None  # the date sits inside a sentence, not in a signature
    before = tail[: last.start()]
    before = re.split(r"[。：:；;！!，,]|特此通知|特此公告|特此通告", before)[-1]
    names: list[str] = []
    for token in reversed(before.split()):
        if _AGENCY_ONLY.match(token):
            names.insert(0, token)
        else:
            break
    issuer = "、".join(names)
    if len(issuer) > 80:
        issuer = ""
    return issuer, _to_date(last)


def first_date(text: str) -> dt.date | None:
    m = DATE.search(text[:200])
    return _to_date(m) if m else None


def issuer_from_title(title: str) -> str:
    m = _AGENCY_AT_START.search(title)
    return clean(m.group(1)).replace(" ", "、") if m else ""


def level_and_region(issuer: str) -> tuple[str, str]:
    """国家/省/市/区 and the province named by the issuing body."""
    name = issuer.split("、")[0]
    name = re.sub(r"^国家税务总局(?=[\u4e00-\u9fa5]{2,}(省|市|区|县))", "", name)
    if not name:
        return "", ""
    m = _PROVINCE_RE.match(name)
    if m:
        province = m.group(1)
        rest = name[m.end() :]
        direct = province in ("北京", "天津", "上海", "重庆")
        region = province + m.group(2) if m.group(2) else ""
        if re.match(r"^[\u4e00-\u9fa5]{1,8}?(区|县|旗)", rest) and not rest.startswith(
            ("人民", "省", "发展", "财政")
        ):
            return "district", region
        if not direct and re.match(r"^[\u4e00-\u9fa5]{1,6}?(市|州|盟)", rest):
            return "city", region
        return "provincial", region
    if any(h in name for h in _NATIONAL_HINTS) or re.match(r"^[\u4e00-\u9fa5]{1,12}?(部|总局|总署)", name):
        return "national", ""
    if re.match(r"^[\u4e00-\u9fa5]{1,8}?(区|县|旗)", name):
        return "district", ""
    if re.match(r"^[\u4e00-\u9fa5]{1,6}?(市|州|盟)", name):
        return "city", ""
    return "", ""


# Keyword rules: (label, words). A policy gets the label when its title or body contains a word.
THEME_RULES: list[tuple[str, tuple[str, ...]]] = [
    ("疫情防控", ("疫情防控", "防控疫情", "新冠肺炎", "新型冠状病毒")),
    ("复工复产", ("复工复产", "复工", "复产")),
    ("稳岗就业", ("稳岗", "就业", "招工", "用工")),
    ("金融支持", ("贷款", "融资", "信贷", "担保", "续贷")),
    ("税费优惠", ("税收", "减免税", "免征", "减征", "增值税", "所得税", "税费")),
    ("社会保险", ("社会保险", "社保", "养老保险", "失业保险", "医疗保险", "公积金")),
    ("房租减免", ("房租", "租金")),
    ("医疗物资", ("防护服", "口罩", "医疗物资", "防疫物资", "医用")),
    ("政务服务", ("网上办理", "不见面", "政务服务", "非接触")),
    ("外贸", ("外贸", "出口", "进口", "通关")),
    ("农业", ("农业", "农产品", "畜牧", "养殖", "春耕")),
]
SUPPORT_RULES: list[tuple[str, tuple[str, ...]]] = [
    ("贷款贴息", ("贴息",)),
    ("租金减免", ("房租", "租金")),
    ("税费减免", ("免征", "减征", "减免税", "税收优惠", "免税", "缓缴税")),
    ("社保缓减", ("社会保险费", "社保费", "缓缴", "养老保险单位缴费")),
    ("资金奖补", ("补贴", "补助", "奖补", "奖励", "资助")),
    ("人才", ("人才", "专家", "引进")),
]
INDUSTRY_RULES: list[tuple[str, tuple[str, ...]]] = [
    ("A", ("农业", "畜牧", "养殖", "种植", "渔业", "春耕")),
    ("C", ("制造", "生产企业", "工业企业", "防护服", "口罩生产")),
    ("E", ("建筑", "工地", "施工")),
    ("F", ("批发", "零售", "商超", "超市", "商贸")),
    ("G", ("交通运输", "物流", "运输", "仓储", "快递")),
    ("H", ("餐饮", "住宿", "酒店", "宾馆")),
    ("I", ("软件", "信息技术", "互联网", "电信")),
    ("K", ("房地产", "物业")),
    ("L", ("租赁", "商务服务", "会展")),
    ("R", ("文化", "旅游", "体育", "娱乐", "影院")),
]
SIZE_RULES: list[tuple[str, tuple[str, ...]]] = [
    ("中型", ("中小企业", "中小微企业", "中小微")),
    ("小型", ("中小企业", "中小微企业", "小微企业", "小型微型", "中小微", "小微")),
    ("微型", ("中小微企业", "小微企业", "小型微型", "中小微", "小微", "个体工商户")),
]


def _labels(text: str, rules: list[tuple[str, tuple[str, ...]]]) -> list[str]:
    return [label for label, words in rules if any(w in text for w in words)]


def extract(raw: str) -> Extracted:
    title, body = split_title(raw)
    doc_number, code, year, serial = parse_doc_number(body)
    issuer, date = parse_signature(body)
    date = date or first_date(body)
    issuer = issuer or issuer_from_title(title)
    level, region = level_and_region(issuer)
    return Extracted(
        title=title,
        body=body,
        doc_number=doc_number,
        doc_agency_code=code,
        doc_year=year,
        doc_serial=serial,
        date=date,
        issuer=issuer,
        level=level,
        region=region,
        themes=_labels(body, THEME_RULES),
        support_types=_labels(body, SUPPORT_RULES),
        industries=_labels(body, INDUSTRY_RULES),
        sizes=_labels(body, SIZE_RULES),
    )
