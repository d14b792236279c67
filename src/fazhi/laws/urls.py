from django.urls import path

from fazhi.laws import views

app_name = "laws"

urlpatterns = [
    path("", views.index, name="index"),
]
