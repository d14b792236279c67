"""Metadata from a policy's plain text: title, 文号, date, issuing body, level and keyword facets.

Contract: `extract(text)` returns an Extracted record; every field is empty/None when the text does
not carry it. The facet rules (themes, support types, industries, sizes) are keyword rules and the
policies they produce are flagged `facets_extracted` so pages say they were recognised automatically.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from fazhi.core import numerals

_SPACE = re.compile(r"[\s\u3000\u2002\u00a0]+")
DOC_NUMBER = re.compile(
    r"(?P<code>[\u4e00-\u9fa5]{1,14}?)\s*[〔\[［【(（](?P<year>(?:19|20)\d\d)[〕\]］】)）]\s*(?:第)?(?P<serial>\d{1,5})\s*号"
)
ANNOUNCEMENT_NUMBER = re.compile(
    r"(?P<code>[\u4e00-\u9fa5]{2,20}公告)\s*(?P<year>(?:19|20)\d\d)年第(?P<serial>\d{1,4})号"
)
DATE = re.compile(r"((?:19|20)\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
AGENCY_SUFFIX = (
    "人民政府办公厅|人民政府办公室|人民政府|办公厅|办公室|委员会|指挥部|领导小组|工作小组|小组|综合组|工作组|"
    "联防联控机制|总局|总署|"
    "管理局|监督管理局|分局|中心|银行|分行|研究院|联合会|商会|协会|部|局|厅|委|署|办|院|会"
)
_AGENCY_AT_END = re.compile(rf"([\u4e00-\u9fa5（）()、·\s]{{2,60}}?(?:{AGENCY_SUFFIX}))\s*$")
_AGENCY_ONLY = re.compile(rf"^[\u4e00-\u9fa5（）()]{{2,30}}(?:{AGENCY_SUFFIX})$")
_AGENCY_AT_START = re.compile(rf"^([\u4e00-\u9fa5、\s]{{2,40}}?(?:{AGENCY_SUFFIX}))\s*关于")
_ANNOUNCER_AT_START = re.compile(
    r"^([\u4e00-\u9fa5]{2,20}?(?:总局|总署|部|委员会|银行))(?:公告|通告)(?:\s|$|(?=(?:19|20)\d\d年))"
)
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
# The national bodies a title or issuer may start with (国家… and 国务院… are caught by prefix).
_NATIONAL_BODIES = (
    "国务院|国家|全国|中共中央|中央|外交部|国防部|教育部|科技部|科学技术部|工业和信息化部|工信部|公安部|民政部|司法部|财政部|"
    "人力资源社会保障部|人力资源和社会保障部|人社部|自然资源部|生态环境部|住房城乡建设部|住房和城乡建设部|交通运输部|水利部|"
    "农业农村部|商务部|文化和旅游部|退役军人事务部|应急管理部|中国人民银行|人民银行|审计署|国资委|海关总署|税务总局|"
    "市场监管总局|广电总局|体育总局|银保监会|证监会|中国银保监会|中国证监会|民航局|中国民用航空局|中国红十字会总会|"
    "全国总工会|共青团中央|发展改革委|国家发展改革委|卫生健康委|国家卫生健康委"
)
_NATIONAL_RE = re.compile(rf"^(?:{_NATIONAL_BODIES})")


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
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None
    apply_start: dt.date | None = None
    apply_end: dt.date | None = None
    contact_phone: str = ""
    themes: list[str] = field(default_factory=list)
    support_types: list[str] = field(default_factory=list)
    industries: list[str] = field(default_factory=list)
    sizes: list[str] = field(default_factory=list)


def clean(text: str) -> str:
    return _SPACE.sub(" ", text or "").strip()


# A news item's dateline (新华社武汉2月12日电（记者 …）) starts its body, never its title.
_DATELINE = re.compile(r"^(?:新华社|中新社|中新网|人民网|央视网|本报讯)|^\S{2,12}\d{1,2}月\d{1,2}日电")


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
        and (
            len(" ".join(fragments)) < 8
            or parts[i].startswith("关于")
            or _AGENCY_ONLY.match(parts[i - 1])
            and len(parts[i]) > 3
        )
    ):
        if not any(
            f.startswith(parts[i]) for f in fragments
        ):  # a repeat (or a cut-off repeat) of the heading
            fragments.append(parts[i])
        i += 1
    title = " ".join(fragments)
    if len(title) > 150:
        cut = re.search(r"[。！？!?]", title)
        title = title[: cut.end()] if cut and cut.end() <= 150 else title[:150]
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


def issuer_from_title(title: str) -> str:
    m = _AGENCY_AT_START.search(title)
    if m:
        return re.sub(r"^转发", "", clean(m.group(1))).replace(" ", "、")
    m = _ANNOUNCER_AT_START.match(title)
    return m.group(1) if m else ""


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


_PROVINCE_FULL = {
    "北京": "北京市",
    "天津": "天津市",
    "上海": "上海市",
    "重庆": "重庆市",
    "内蒙古": "内蒙古自治区",
    "广西": "广西壮族自治区",
    "西藏": "西藏自治区",
    "宁夏": "宁夏回族自治区",
    "新疆": "新疆维吾尔自治区",
    "香港": "香港特别行政区",
    "澳门": "澳门特别行政区",
}
_CITIES_BY_PROVINCE = {
    "河北": "石家庄 唐山 秦皇岛 邯郸 邢台 保定 张家口 承德 沧州 廊坊 衡水",
    "山西": "太原 大同 阳泉 长治 晋城 朔州 晋中 运城 忻州 临汾 吕梁",
    "内蒙古": "呼和浩特 包头 乌海 赤峰 通辽 鄂尔多斯 呼伦贝尔 巴彦淖尔 乌兰察布",
    "辽宁": "沈阳 大连 鞍山 抚顺 本溪 丹东 锦州 营口 阜新 辽阳 盘锦 铁岭 朝阳 葫芦岛",
    "吉林": "长春 四平 辽源 通化 白山 松原 白城 延边",
    "黑龙江": "哈尔滨 齐齐哈尔 鸡西 鹤岗 双鸭山 大庆 伊春 佳木斯 七台河 牡丹江 黑河 绥化",
    "江苏": "南京 无锡 徐州 常州 苏州 南通 连云港 淮安 盐城 扬州 镇江 泰州 宿迁",
    "浙江": "杭州 宁波 温州 嘉兴 湖州 绍兴 金华 衢州 舟山 台州 丽水 义乌",
    "安徽": "合肥 芜湖 蚌埠 淮南 马鞍山 淮北 铜陵 安庆 黄山 滁州 阜阳 宿州 六安 亳州 池州 宣城",
    "福建": "福州 厦门 莆田 三明 泉州 漳州 南平 龙岩 宁德",
    "江西": "南昌 景德镇 萍乡 九江 新余 鹰潭 赣州 吉安 宜春 抚州 上饶",
    "山东": "济南 青岛 淄博 枣庄 东营 烟台 潍坊 济宁 泰安 威海 日照 临沂 德州 聊城 滨州 菏泽",
    "河南": "郑州 开封 洛阳 平顶山 安阳 鹤壁 新乡 焦作 濮阳 许昌 漯河 三门峡 南阳 商丘 信阳 周口 驻马店 济源",
    "湖北": "武汉 黄石 十堰 宜昌 襄阳 鄂州 荆门 孝感 荆州 黄冈 咸宁 随州 恩施 仙桃 潜江 天门",
    "湖南": "长沙 株洲 湘潭 衡阳 邵阳 岳阳 常德 张家界 益阳 郴州 永州 怀化 娄底 湘西",
    "广东": "广州 韶关 深圳 珠海 汕头 佛山 江门 湛江 茂名 肇庆 惠州 梅州 汕尾 河源 阳江 清远 东莞 中山 潮州 揭阳 云浮",
    "广西": "南宁 柳州 桂林 梧州 北海 防城港 钦州 贵港 玉林 百色 贺州 河池 来宾 崇左",
    "海南": "海口 三亚 三沙 儋州",
    "四川": "成都 自贡 攀枝花 泸州 德阳 绵阳 广元 遂宁 内江 乐山 南充 眉山 宜宾 广安 达州 雅安 巴中 资阳 阿坝 甘孜 凉山",
    "贵州": "贵阳 六盘水 遵义 安顺 毕节 铜仁 黔西南 黔东南 黔南",
    "云南": "昆明 曲靖 玉溪 保山 昭通 丽江 普洱 临沧 楚雄 红河 文山 西双版纳 大理 德宏 怒江 迪庆",
    "西藏": "拉萨 日喀则 昌都 林芝 山南 那曲 阿里",
    "陕西": "西安 铜川 宝鸡 咸阳 渭南 延安 汉中 榆林 安康 商洛",
    "甘肃": "兰州 嘉峪关 金昌 白银 天水 武威 张掖 平凉 酒泉 庆阳 定西 陇南 临夏 甘南",
    "青海": "西宁 海东 海北 黄南 海南州 果洛 玉树 海西",
    "宁夏": "银川 石嘴山 吴忠 固原 中卫",
    "新疆": "乌鲁木齐 克拉玛依 吐鲁番 哈密 昌吉 博尔塔拉 巴音郭楞 阿克苏 克孜勒苏 喀什 和田 伊犁 塔城 阿勒泰 石河子",
}

_CITY_PROVINCE = {c: p for p, names in _CITIES_BY_PROVINCE.items() for c in names.split()}
_CITY_NAMES = "|".join(sorted(_CITY_PROVINCE, key=len, reverse=True))
_CITY_RE = re.compile(rf"({_CITY_NAMES})(市|州|地区|盟)?")


def province_full(short: str) -> str:
    return _PROVINCE_FULL.get(short, short + "省")


def _looks_like_agency(name: str) -> bool:
    """A body of government, not any word ending in 会/部: it names a place or is a national body."""
    if not _AGENCY_ONLY.match(name):
        return False
    if _PROVINCE_RE.match(name) or _CITY_RE.match(name):
        return True
    if any(h in name for h in _NATIONAL_HINTS):
        return True
    if re.search(r"(市|省|县|区|州|旗|盟|自治区)", name):
        return True
    return bool(_NATIONAL_RE.match(name))  # 交通运输部职业资格中心


_LOCAL_OF_NATIONAL = re.compile(
    rf"^(?:国家税务总局|中国人民银行|国家外汇管理局|中国银保监会|中国银行保险监督管理委员会|中国证监会|中共)(?=(?:{_PROVINCES}|{_CITY_NAMES}))"
)
_DISTRICT = re.compile(r"^([\u4e00-\u9fa5]{1,4}?(?:新区|区|县|旗))(?!域|级|别|间|内|外|划)")


def _place(name: str, *, issuer: bool) -> tuple[str, str]:
    """(level, region) of a name that starts with a province or a prefecture-level city.

    Districts are read only from an issuing body's name ('北京市昌平区经济和信息化局'), never from a
    headline ('上海徐汇上线区级…')."""
    m = _PROVINCE_RE.match(name)
    if m:
        province = m.group(1)
        region = province_full(province)
        rest = name[m.end() :]
        direct = province in ("北京", "天津", "上海", "重庆")
        c = _CITY_RE.match(rest)
        if c and not direct and _CITY_PROVINCE[c.group(1)] == province:
            return _place(rest, issuer=issuer)
        d = _DISTRICT.match(rest)
        if issuer and d and direct and not rest.startswith(("人民", "自治区", "地区")):
            return "district", region + d.group(1)
        if not direct and re.match(r"^[\u4e00-\u9fa5]{1,6}?(市|州|盟)", rest) and not rest.startswith("人民"):
            return "city", ""  # a city we do not know: its province alone would be too wide a region
        return "provincial", region
    c = _CITY_RE.match(name)
    if c and not name[c.end() :].startswith(("区", "县", "路", "街", "港", "大学")):
        province = _CITY_PROVINCE[c.group(1)]
        region = province_full(province) + c.group(1) + ("州" if c.group(2) == "州" else "市")
        rest = name[c.end() :]
        d = _DISTRICT.match(rest)
        if issuer and d and not rest.startswith(("人民", "地区")):
            return "district", region + d.group(1)
        return "city", region
    if issuer and _DISTRICT.match(name):
        return "district", ""  # '海陵区民政局': a district, but of which city the text does not say
    if issuer and re.match(r"^[\u4e00-\u9fa5]{1,6}?(市|州|盟)", name):
        return "city", ""
    return "", ""


def _is_national(name: str) -> bool:
    return bool(_NATIONAL_RE.match(name)) and not _LOCAL_OF_NATIONAL.match(name)


def level_and_region(issuer: str, title: str = "") -> tuple[str, str]:
    """(层级, 地区) from the issuing body, or else from a province/city named at the head of the title.

    National bodies (国务院, 财政部, 国家税务总局 …) give 国家 and no region; a local branch
    (国家税务总局深圳市税务局) counts as local. The region is the most specific place known
    ('广东省深圳市'), so a policy of one city does not apply to its neighbour; unknown stays empty.
    """
    names = [n for n in issuer.split("、") if n]
    leading = _AGENCY_AT_START.search(title) or _ANNOUNCER_AT_START.match(title)
    if leading:
        names.insert(0, re.sub(r"^转发", "", clean(leading.group(1)).split(" ")[0]))
    for raw in names:
        name = _LOCAL_OF_NATIONAL.sub("", raw)
        branch = re.match(rf"^中国人民银行({_CITY_NAMES})分行", raw)
        if branch:  # 中国人民银行成都分行 serves the whole province
            return "provincial", province_full(_CITY_PROVINCE[branch.group(1)])
        level, region = _place(name, issuer=True)
        if level:
            return level, region
        if _is_national(raw):
            return "national", ""
    head = re.sub(r"^[（(【\[]?(?:新华网[】\]])?\s*(?:关于)?", "", title.strip())
    head = _LOCAL_OF_NATIONAL.sub("", head)
    if not head or re.match(r"^(各地|多地|各部门|多部门|[一二三四五六七八九十\d]+部门)", head):
        return "", ""
    if _is_national(head):
        return "national", ""
    level, region = _place(head, issuer=False)
    if not region:
        return "", ""
    named = {province_full(p) for p in re.findall(_PROVINCES, title)}
    if any(not region.startswith(p) for p in named):
        return "", ""  # '浙江重庆两地医学专家…': more than one place
    return level, region


# --- 有效期、申报期、咨询电话 -----------------------------------------------------------------------
_SELF = r"(?:本|以上|上述|此)(?:通知|公告|通告|意见|办法|措施|政策|细则|规定|方案|文件|若干措施|政策措施|实施细则|实施办法)"
_D = r"((?:19|20)\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"
_DM = r"(?:((?:19|20)\d\d)\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日"
_ISSUE_DAY = r"(?:发布|印发|公布|颁布|签发)之日"
_EFFECTIVE_FROM = re.compile(
    rf"{_SELF}[^。；]{{0,100}}?自\s*(?:政策|本政策)?(?:{_D}|(?P<issue>{_ISSUE_DAY}|即日))(?:零时)?起?\s*(?:暂)?(?:施行|实施|执行|生效)"
)
_EFFECTIVE_FROM_TO = re.compile(
    rf"{_SELF}[^。；]{{0,30}}?(?:执行期限|执行期|施行期|有效期|实施期限)(?:暂定)?为?\s*自\s*(?:政策|本政策)?"
    rf"(?:{_D}|(?P<issue>{_ISSUE_DAY}))起?\s*(?:至|到)"
)
_EFFECTIVE_TO = re.compile(
    rf"{_SELF}[^。；]{{0,100}}?(?:有效期|执行期限|执行期|施行期|实施期限|适用截止时间|截止时间|执行)[^。；\d]{{0,20}}?"
    rf"(?:至|为|到)\s*{_D}\s*(?:止|为止|截止)?"
)
_EFFECTIVE_TO_YEAR_END = re.compile(rf"{_SELF}[^。；]{{0,120}}?有效期至\s*((?:19|20)\d\d)\s*年底")
_EFFECTIVE_SPAN = re.compile(
    rf"{_SELF}[^。；]{{0,30}}?(?:执行期限|执行期|施行期|有效期|实施期限)(?:暂定)?(?:为)?[^。；\d]{{0,6}}"
    rf"(?:自\s*(?:政策|本政策)?(?:{_D}|(?P<issue>{_ISSUE_DAY}))起?(?:的)?)\s*"
    r"(?P<n>\d{1,2}|[一二两三四五六七八九十]|十二)\s*(?:个)?(?P<unit>月|年)"
)
_EFFECTIVE_SPAN2 = re.compile(
    rf"{_SELF}[^。；]{{0,30}}?(?:施行|实施|执行)，?(?:施行期|执行期|有效期)(?:暂定)?为?\s*"
    r"(?P<n>\d{1,2}|[一二两三四五六七八九十]|十二)\s*(?:个)?(?P<unit>月|年)"
)
_EFFECTIVE_RANGE = re.compile(
    rf"(?:执行期限|有效期|执行期|实施期限)(?:暂定)?为\s*{_D}\s*(?:至|到|—|-)\s*{_DM}"
)
_APPLY_RANGE = re.compile(
    rf"(?:申报时间|申请时间|申报期限|申请期限|受理时间|申报期|申请期)(?:为|是)?[：:]?\s*(?:自\s*)?{_D}(?:起)?\s*(?:至|到|—|-|～|~)\s*{_DM}"
)
_APPLY_END = re.compile(
    rf"(?:(?:申报|申请|受理)(?:的)?截止(?:时间|日期)(?:为|是)?[：:]?\s*{_D})"
    rf"|(?:(?:申报|申请)期限至\s*{_D})"
    rf"|(?:(?:请|须|应|可|需|必须)?(?:于|在)\s*{_D}(?:\d{{1,2}}(?:时|点))?(?:前|之前|以前)\s*"
    r"(?:[^。；，]{0,20}?)(?:提交|提出|报送|递交)?(?:[^。；，]{0,6}?)(?:申请|申报材料|申报)(?!人))"
)
_APPLY_START = re.compile(rf"(?:于|自|从)\s*{_D}起[^。；]{{0,25}}?(?:申请|申报)(?!期)")
_TAX_FILING = re.compile(r"纳税申报|申报纳税|缴纳|退税|纳税")
_PHONE_CUE = re.compile(
    r"(?:联系电话|咨询电话|联系人及电话|联系人及联系电话|咨询热线(?:电话)?|服务热线|政策咨询热线)"
)
_PHONE = re.compile(
    r"(?<![\d\-])(?:"
    r"(?:[（(]0\d{2,3}[）)]\s*\d{3,4}[-—－]?\d{4})"
    r"|(?:0\d{2,3}\s*[-—－]\s*\d{7,8})"
    r"|(?:0\d{9,11})"
    r"|(?:1[3-9]\d{9})"
    r"|(?:\d{7,8})"
    r"|(?:1\d{4})"
    r")(?![\d\-]|年|月|日|元|万|个|人|号)"
)


def _date(y: str | None, mo: str, d: str, year_from: dt.date | None = None) -> dt.date | None:
    year = int(y) if y else (year_from.year if year_from else None)
    if year is None:
        return None
    try:
        return dt.date(year, int(mo), int(d))
    except ValueError:
        return None


def _add_months(d: dt.date, months: int) -> dt.date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    for day in (d.day, 30, 29, 28):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    return d  # pragma: no cover


def _number(n: str) -> int:
    try:
        return numerals.cn_to_int(n)
    except ValueError:
        return 0


def _one(values: list[dt.date]) -> dt.date | None:
    """The value if every explicit statement agrees; two different dates are ambiguous, so none."""
    distinct = set(values)
    return values[0] if len(distinct) == 1 else None


def effective_period(body: str, issued: dt.date | None) -> tuple[dt.date | None, dt.date | None]:
    """(有效期起, 有效期止) where the document states its own period ('本通知自…起施行，有效期至…')."""
    starts: list[dt.date] = []
    ends: list[dt.date] = []
    for m in [*_EFFECTIVE_FROM.finditer(body), *_EFFECTIVE_FROM_TO.finditer(body)]:
        d = _date(m.group(1), m.group(2), m.group(3)) if m.group(1) else issued
        if d:
            starts.append(d)
    for m in _EFFECTIVE_TO.finditer(body):
        d = _date(m.group(1), m.group(2), m.group(3))
        if d:
            ends.append(d)
    for m in _EFFECTIVE_TO_YEAR_END.finditer(body):
        ends.append(dt.date(int(m.group(1)), 12, 31))
    for rx in (_EFFECTIVE_SPAN, _EFFECTIVE_SPAN2):
        for m in rx.finditer(body):
            gd = m.groupdict()
            if rx is _EFFECTIVE_SPAN and m.group(1):
                start = _date(m.group(1), m.group(2), m.group(3))
            elif rx is _EFFECTIVE_SPAN and gd.get("issue"):
                start = issued
            else:
                start = _one(starts)
            n = _number(m.group("n"))
            if start and n:
                starts.append(start)
                ends.append(_add_months(start, n * (12 if m.group("unit") == "年" else 1)))
    for m in _EFFECTIVE_RANGE.finditer(body):
        a = _date(m.group(1), m.group(2), m.group(3))
        b = _date(m.group(4), m.group(5), m.group(6), year_from=a)
        if a and b and a <= b:
            before = body[max(0, m.start() - 30) : m.start()]
            if re.search(_SELF + r"[^。；，]*$", before) or re.search(r"(^|[。；\s])$", before):
                starts.append(a)
                ends.append(b)
    start, end = _one(starts), _one(ends)
    if start and end and end < start:
        return None, None
    return start, end


def apply_window(body: str) -> tuple[dt.date | None, dt.date | None]:
    """(申报开始, 申报截止) from explicit statements ('申报时间：…至…', '请于…前提交申请'); tax filing deadlines are not it."""
    starts: list[dt.date] = []
    ends: list[dt.date] = []
    for m in _APPLY_RANGE.finditer(body):
        if _TAX_FILING.search(body[max(0, m.start() - 6) : m.end() + 4]):
            continue
        a = _date(m.group(1), m.group(2), m.group(3))
        b = _date(m.group(4), m.group(5), m.group(6), year_from=a)
        if a and b and a <= b:
            starts.append(a)
            ends.append(b)
    for m in _APPLY_END.finditer(body):
        if _TAX_FILING.search(body[max(0, m.start() - 10) : m.end() + 4]):
            continue
        groups = [g for g in m.groups()]
        for i in range(0, len(groups), 3):
            if groups[i]:
                d = _date(groups[i], groups[i + 1], groups[i + 2])
                if d:
                    ends.append(d)
                break
    for m in _APPLY_START.finditer(body):
        if _TAX_FILING.search(m.group(0)):
            continue
        d = _date(m.group(1), m.group(2), m.group(3))
        if d:
            starts.append(d)
    start, end = _one(starts), _one(ends)
    if start and end and end < start:
        return None, None
    return start, end


def contact_phone(body: str, max_length: int = 100) -> str:
    """Phone numbers after '联系电话/咨询电话/联系人及电话：'; a list of many contacts (one per measure) is left alone."""
    groups: list[list[str]] = []
    for m in _PHONE_CUE.finditer(body):
        rest = body[m.end() : m.end() + 60]
        lead = re.match(r"^[：:\s]*(?:[^\d。；（(]{0,12}?[：:，,\s]\s*)?", rest)
        pos = lead.end() if lead else 0
        numbers: list[str] = []
        while True:
            p = _PHONE.match(rest, pos)
            if not p:
                break
            numbers.append(
                re.sub(r"\s*[—－]\s*|\s*-\s*", "-", p.group(0)).replace("（", "(").replace("）", ")")
            )
            sep = re.match(r"[、，,；;/\s]+(?:\s*[（(][^）)]{0,6}[）)])?[、，,\s]*", rest[p.end() :])
            if not sep:
                break
            pos = p.end() + sep.end()
        if numbers:
            groups.append(numbers)
    distinct = {tuple(g) for g in groups}
    if not groups or len(distinct) > 2:
        return ""
    phone = "、".join(dict.fromkeys(n for g in groups for n in g))
    while len(phone) > max_length and "、" in phone:
        phone = phone.rsplit("、", 1)[0]
    return phone if len(phone) <= max_length else ""


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
    date = date or first_date(body, title)
    issuer = issuer or issuer_from_title(title) or issuer_from_head(body, title)
    level, region = level_and_region(issuer, title)
    effective_from, effective_to = effective_period(body, date)
    apply_start, apply_end = apply_window(body)
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
        effective_from=effective_from,
        effective_to=effective_to,
        apply_start=apply_start,
        apply_end=apply_end,
        contact_phone=contact_phone(body),
        themes=_labels(body, THEME_RULES),
        support_types=_labels(body, SUPPORT_RULES),
        industries=_labels(body, INDUSTRY_RULES),
        sizes=_labels(body, SIZE_RULES),
    )


# --- periods stated for measures in the text ----------------------------------------------------
_STATED_PERIOD = re.compile(
    r"自\s*((?:19|20)\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(?:零时|0时)?\s*起?\s*至\s*"
    r"(?:((?:19|20)\d\d)\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日"
)


@dataclass(frozen=True)
class StatedPeriod:
    start: dt.date
    end: dt.date


def stated_periods(text: str, *, limit: int = 20) -> list[StatedPeriod]:
    """The execution periods written in a text ("自2020年2月1日起至6月30日止"), in order, without repeats.

    They are often the periods of single measures of a package, not of the whole policy, so they are
    shown to the reader rather than turned into the policy's 有效期 (which decides its status)."""
    out: list[StatedPeriod] = []
    for m in _STATED_PERIOD.finditer(text or ""):
        try:
            start = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            end = dt.date(int(m.group(4) or m.group(1)), int(m.group(5)), int(m.group(6)))
        except ValueError:
            continue
        period = StatedPeriod(start, end)
        if end >= start and period not in out:
            out.append(period)
            if len(out) >= limit:
                break
    return out


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


# 文种 (document type), a facet of gov.cn's policy library (DOMAIN.md): read from the end of the title, where
# a Chinese official document names its type (…的通知, …若干措施, 《…指引》). Titles of news items and
# other writings end otherwise and count as 其他. Order matters only for words that end one another.
DOC_KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("通知", ("通知",)),
    ("通告", ("通告",)),
    ("公告", ("公告",)),
    ("意见", ("意见",)),
    ("办法", ("办法",)),
    ("规定", ("规定",)),
    ("细则", ("细则",)),
    ("措施", ("措施", "举措")),
    ("方案", ("方案",)),
    ("指引、指南", ("指引", "指南")),
    ("决定", ("决定",)),
    ("通报", ("通报",)),
    ("政策解读", ("解读", "答记者问", "问答", "解答")),
)
OTHER_KIND = "其他"
DOC_KIND_LABELS = [label for label, _ in DOC_KINDS] + [OTHER_KIND]
_TITLE_TAIL = re.compile(r"(?:[（(][^（）()]{0,30}[）)]|[\s！!。.…》」”\"'？?])+$")


def doc_kind(title: str) -> str:
    """The 文种 a policy's title ends with (trailing dates in brackets and punctuation set aside)."""
    core = _TITLE_TAIL.sub("", clean(title or ""))
    for label, endings in DOC_KINDS:
        if core.endswith(endings):
            return label
    return OTHER_KIND
