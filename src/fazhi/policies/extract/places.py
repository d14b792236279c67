"""层级 and 地区: provinces and cities, national bodies and their local branches, read from issuer and title."""

from __future__ import annotations

import re

from fazhi.policies.extract.patterns import (
    _AGENCY_AT_START,
    _AGENCY_ONLY,
    _ANNOUNCER_AT_START,
    _NATIONAL_HINTS,
    _NATIONAL_RE,
    _PROVINCE_RE,
    _PROVINCES,
    clean,
)

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
