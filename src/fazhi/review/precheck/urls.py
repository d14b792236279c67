from django.urls import path

from fazhi.review.precheck import views

urlpatterns = [
    path("", views.self_check, name="precheck"),
]
