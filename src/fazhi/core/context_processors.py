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
    return {"SITE_NAME": settings.SITE_NAME, "NAV": NAV, "unread_messages": unread, "DEBUG": settings.DEBUG}
