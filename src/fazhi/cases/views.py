"""以案释法与普法 pages."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def index(request: HttpRequest) -> HttpResponse:
    return render(request, "cases/index.html")


def home(request: HttpRequest) -> HttpResponse:
    """Portal home page (门户首页)."""
    return render(request, "core/home.html")
