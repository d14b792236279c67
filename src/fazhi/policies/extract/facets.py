"""Keyword facets (themes, support types, industries, sizes) and the 文种 a title ends with."""

from __future__ import annotations

import re

from fazhi.policies.extract.patterns import clean

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
