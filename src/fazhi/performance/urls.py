from django.urls import path

from fazhi.performance import views

app_name = "performance"

urlpatterns = [
    path("", views.index, name="index"),
]
