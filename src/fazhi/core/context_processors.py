import re

from django.conf import settings
from django.http import HttpRequest

from fazhi.core import services

ICP_SYSTEM = "https://beian.miit.gov.cn/"  # 工业和信息化部 ICP/IP地址/域名信息备案管理系统
PSB_SYSTEM = "https://beian.mps.gov.cn/#/query/webSearch?code="  # 全国互联网安全管理服务平台

NAV = [
    ("政策", "/policies/"),
    ("法规", "/laws/"),
    ("案例", "/cases/"),
    ("普法", "/publicity/"),
    ("学法考试", "/exams/"),
    ("办事", "/services/"),
]


def site(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    unread = 0
    if user is not None and user.is_authenticated:
        unread = services.inbox_of(user, unread=True).count()
    return {
        "SITE_NAME": settings.SITE_NAME,
        "NAV": NAV,
        "unread_messages": unread,
        "DEBUG": settings.DEBUG,
        "SESSION_KEEPALIVE_SECONDS": keepalive_seconds(),
        "SESSION_IDLE_SECONDS": settings.SESSION_COOKIE_AGE,
        "FOOTER": footer(),
    }


def footer() -> dict[str, str]:
    """The government-site footer (国办发〔2017〕47号): each value is empty when not configured, and the
    template leaves out empty lines. The 公安机关备案号's link carries the number's digits for the query."""
    psb = settings.FAZHI_PSB_RECORD
    digits = max(re.findall(r"[0-9]+", psb), key=len, default="")
    return {
        "owner": settings.FAZHI_SITE_OWNER,
        "contact": settings.FAZHI_CONTACT,
        "site_code": settings.FAZHI_SITE_CODE,
        "icp": settings.FAZHI_ICP,
        "icp_url": ICP_SYSTEM,
        "psb": psb,
        "psb_url": PSB_SYSTEM + digits if digits else "",
    }


def keepalive_seconds() -> int:
    """How often a page that must stay logged in (an open exam) pings /accounts/keepalive/: three times per
    idle timeout, at most every 5 minutes, at least every 30 seconds."""
    return max(30, min(300, settings.SESSION_COOKIE_AGE // 3))
