from django.urls import path

from fazhi.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.index, name="index"),
    path("search/", views.site_search, name="search"),
    path("markdown-preview/", views.markdown_preview, name="markdown_preview"),
    path("<int:pk>/", views.detail, name="detail"),
]
