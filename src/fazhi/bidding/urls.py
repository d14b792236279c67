from django.urls import path

from fazhi.bidding import views

app_name = "bidding"

urlpatterns = [
    path("", views.index, name="index"),
]
