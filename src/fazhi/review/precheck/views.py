"""起草自查 page."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def self_check(request: HttpRequest) -> HttpResponse:
    return render(request, "precheck/self_check.html")
