"""The site's URLconf plus views that raise 404s of every kind, for the 404 page tests."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path

from fazhi.core.middleware import PageNotFound
from fazhi.core.models import User
from fazhi.urls import handler404, handler500  # noqa: F401
from fazhi.urls import urlpatterns as site_patterns


def chinese(request):  # noqa: ANN001, ANN201
    raise Http404("这份材料已归档，不再公开。")


def english(request):  # noqa: ANN001, ANN201
    return get_object_or_404(User, pk=-1)  # Django's "No User matches the given query."


def mixed(request):  # noqa: ANN001, ANN201
    raise Http404("Traceback: 找不到 id=7 的 Draft")


def outside_link(request):  # noqa: ANN001, ANN201
    raise PageNotFound("没有这一项。", link="https://example.com/", link_text="去别处")


urlpatterns = [
    path("nf/chinese/", chinese),
    path("nf/english/", english),
    path("nf/mixed/", mixed),
    path("nf/outside/", outside_link),
    *site_patterns,
]
