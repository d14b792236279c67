from django.urls import path, re_path

from fazhi.laws import views

app_name = "laws"


def _article(request, law_id, number, suffix=None):  # noqa: ANN001, ANN202
    return views.article_permalink(request, law_id, number, suffix)


urlpatterns = [
    path("", views.index, name="index"),
    path("search", views.search, name="search"),
    path("search/", views.search),
    path("<int:law_id>/", views.law_detail, name="detail"),
    path("<int:law_id>/diff", views.law_diff, name="diff"),
    path("<int:law_id>/diff/", views.law_diff),
    re_path(r"^(?P<law_id>\d+)/articles/(?P<number>\d+)(?:-(?P<suffix>\d+))?/$", _article, name="article"),
    re_path(
        r"^(?P<law_id>\d+)/articles/(?P<number>\d+)(?:-(?P<suffix>\d+))?/cited-by/$",
        views.cited_by_list,
        name="cited_by",
    ),
]
