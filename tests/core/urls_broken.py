"""The site's URLconf plus one view that fails, for the error-page tests."""

from django.urls import path

from fazhi.urls import handler404, handler500  # noqa: F401
from fazhi.urls import urlpatterns as site_patterns


def broken(request):  # noqa: ANN001, ANN201
    raise RuntimeError("boom")


urlpatterns = [path("boom/", broken), path("api/v1/boom", broken), *site_patterns]
