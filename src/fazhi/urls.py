"""Root URLs: every domain app mounts its pages under its own prefix; the JSON API lives at /api/v1/."""

from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from fazhi.api import api
from fazhi.cases.views import home, site_search

admin.site.site_header = "财政法治服务平台 · 管理后台"
admin.site.site_title = "财政法治服务平台"
admin.site.index_title = "后台管理"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("laws/", include("fazhi.laws.urls")),
    path("policies/", include("fazhi.policies.urls")),
    path("review/", include("fazhi.review.urls")),
    path("exams/", include("fazhi.exams.urls")),
    path("cases/", include("fazhi.cases.urls")),
    path("publicity/", include("fazhi.publicity.urls")),
    path("performance/", include("fazhi.performance.urls")),
    path("bidding/", include("fazhi.bidding.urls")),
    path("reports/", include("fazhi.reports.urls")),
    path("search", site_search, name="search"),
    # Browsers and feed readers ask for /favicon.ico whatever the page declares.
    path("favicon.ico", RedirectView.as_view(url=static("favicon.svg"), permanent=True)),
    path("", home, name="home"),
    path("", include("fazhi.core.urls")),
]

# Uploaded files are never served from MEDIA_ROOT directly (not even with DEBUG on): internal activity
# files and draft media would be public. Each app serves its files through a permission-checked view.

handler403 = "fazhi.core.views.permission_denied"
handler404 = "fazhi.core.views.page_not_found"
handler500 = "fazhi.core.views.server_error"
