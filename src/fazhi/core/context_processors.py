from django.conf import settings
from django.http import HttpRequest

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
        unread = user.inbox.filter(read_at__isnull=True).count()
    return {
        "SITE_NAME": settings.SITE_NAME,
        "NAV": NAV,
        "unread_messages": unread,
        "DEBUG": settings.DEBUG,
        "SESSION_KEEPALIVE_SECONDS": keepalive_seconds(),
    }


def keepalive_seconds() -> int:
    """How often a page that must stay logged in (an open exam) pings /accounts/keepalive/: three times per
    idle timeout, at most every 5 minutes, at least every 30 seconds."""
    return max(30, min(300, settings.SESSION_COOKIE_AGE // 3))
