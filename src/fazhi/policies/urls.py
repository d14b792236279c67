from django.urls import path

from fazhi.policies import views

app_name = "policies"

urlpatterns = [
    path("", views.index, name="index"),
]
