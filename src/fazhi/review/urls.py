from django.urls import include, path

from fazhi.review import views

app_name = "review"

urlpatterns = [
    path("", views.index, name="index"),
    path("precheck/", include("fazhi.review.precheck.urls")),
]
