"""统一社会信用代码 (GB 32100-2015): 18 characters in five parts, each checked with its own message.

位置      内容                       检查
1         登记管理部门码             DEPARTMENTS 的键
2         机构类别码                 该登记管理部门下 DEPARTMENTS 所列的类别
3–8       登记管理机关行政区划码     六位数字（GB/T 2260），省级前两位有效，不为 000000
9–17      主体标识码（组织机构代码） GB 11714 规则：第17位为前8位的校验码（0–9 或 X）
18        校验码                     GB 32100 规则：前17位加权求和模31
"""

from __future__ import annotations

import re
import unicodedata

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, S, V, Z
WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
_VALUE = {c: i for i, c in enumerate(CHARSET)}

# 登记管理部门码 → (部门, {机构类别码: 类别}).
# Source: GB 32100-2015《法人和其他组织统一社会信用代码编码规则》附录A 表A.1「登记管理部门和机构类别代码」;
# A (中央军委改革和编制办公室) and N (农业农村, 农村集体经济组织) are the later additions to that table
# (第1号修改单 / 农业农村部发放集体经济组织代码). Verify against the current official text when changing.
DEPARTMENTS: dict[str, tuple[str, dict[str, str]]] = {
    "1": ("机构编制", {"1": "机关", "2": "事业单位", "3": "中央编办直接管理机构编制的群众团体", "9": "其他"}),
    "2": ("外交", {"1": "外国常驻新闻机构", "9": "其他"}),
    "3": (
        "司法行政",
        {
            "1": "律师执业机构",
            "2": "公证处",
            "3": "基层法律服务所",
            "4": "司法鉴定机构",
            "5": "仲裁委员会",
            "9": "其他",
        },
    ),
    "4": ("文化", {"1": "外国在华文化中心", "9": "其他"}),
    "5": ("民政", {"1": "社会团体", "2": "民办非企业单位", "3": "基金会", "9": "其他"}),
    "6": (
        "旅游",
        {"1": "外国旅游部门常驻代表机构", "2": "港澳台地区旅游部门常驻内地（大陆）代表机构", "9": "其他"},
    ),
    "7": ("宗教", {"1": "宗教活动场所", "2": "宗教院校", "9": "其他"}),
    "8": ("工会", {"1": "基层工会", "9": "其他"}),
    "9": ("工商（市场监管）", {"1": "企业", "2": "个体工商户", "3": "农民专业合作社"}),
    "A": ("中央军委改革和编制办公室", {"1": "军队事业单位", "9": "其他"}),
    "N": (
        "农业",
        {"1": "组级集体经济组织", "2": "村级集体经济组织", "3": "乡镇级集体经济组织", "9": "其他"},
    ),
    "Y": ("其他", {"1": "其他"}),
}
# First two digits of a GB/T 2260 行政区划码 (10 = 全国, used by central bodies, e.g. 100000).
PROVINCE_PREFIXES = frozenset(
    str(n)
    for lo, hi in ((10, 15), (21, 23), (31, 37), (41, 46), (50, 54), (61, 65), (71, 71), (81, 82))
    for n in range(lo, hi + 1)
)
# GB 11714-1997 组织机构代码: digits keep their value, letters A–Z are 10–35; check = 11 − Σ mod 11.
ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]


def check_char(first17: str) -> str:
    """The check character for the first 17 characters (which must be in CHARSET)."""
    total = sum(_VALUE[c] * w for c, w in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def org_check_char(first8: str) -> str:
    """GB 11714 check character (0–9 or X) of an 8-character organisation code body."""
    total = sum(int(c, 36) * w for c, w in zip(first8, ORG_WEIGHTS, strict=True))
    c = 11 - total % 11
    return "0" if c == 11 else "X" if c == 10 else str(c)


def normalize(code: str | None) -> str:
    """The code as stored and compared: a code copied from a licence often carries spaces, hyphens or
    full-width characters (９１１１ ０１０５…), and lower-case letters; all forms give the same 18 characters."""
    return re.sub(r"[\s\-－]", "", unicodedata.normalize("NFKC", str(code or ""))).upper()


def problem(code: str) -> str:
    """Empty when the code is valid; otherwise a specific Chinese message naming the faulty part."""
    code = normalize(code)
    if len(code) != 18:
        return f"统一社会信用代码应为18位，当前为{len(code)}位。"
    for i, c in enumerate(code, start=1):
        if c not in _VALUE:
            return f"统一社会信用代码第{i}位“{c}”不是允许的字符（不使用 I、O、S、V、Z）。"
    dept = DEPARTMENTS.get(code[0])
    if dept is None:
        allowed = "、".join(f"{k} {name}" for k, (name, _) in DEPARTMENTS.items())
        return f"统一社会信用代码第1位登记管理部门代码无效：“{code[0]}”，应为{allowed}之一。"
    dept_name, kinds = dept
    if code[1] not in kinds:
        allowed = "、".join(f"{k} {name}" for k, name in kinds.items())
        return (
            f"统一社会信用代码第2位机构类别代码无效：登记管理部门为“{code[0]} {dept_name}”时，"
            f"第2位应为{allowed}，实际为“{code[1]}”。"
        )
    region = code[2:8]
    if not region.isdigit() or region == "000000" or region[:2] not in PROVINCE_PREFIXES:
        return f"统一社会信用代码第3至8位登记管理机关行政区划码无效：“{region}”不是有效的六位行政区划代码。"
    org = code[8:17]
    expected_org = org_check_char(org[:8])
    if org[8] != expected_org:
        return (
            f"统一社会信用代码第9至17位主体标识码（组织机构代码）校验错误："
            f"第17位应为“{expected_org}”，实际为“{org[8]}”，请核对。"
        )
    expected = check_char(code[:17])
    if code[17] != expected:
        return f"统一社会信用代码校验位错误：第18位应为“{expected}”，实际为“{code[17]}”，请核对。"
    return ""


def is_valid(code: str) -> bool:
    return problem(code) == ""


def make(prefix: str, org_body: str) -> str:
    """A valid code from the first 8 characters and an 8-character organisation code body (for tests, demos)."""
    body = prefix + org_body + org_check_char(org_body)
    return body + check_char(body)
