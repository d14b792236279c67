from django.urls import path

from fazhi.publicity import views

app_name = "publicity"

urlpatterns = [
    path("", views.index, name="index"),
]
