from django.urls import path

from fazhi.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.index, name="index"),
]
