"""The regular expressions the extractors share: whitespace, 文号, dates, agency names, places."""

from __future__ import annotations

import re

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


def clean(text: str) -> str:
    return _SPACE.sub(" ", text or "").strip()
