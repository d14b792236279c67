from django.contrib.auth import views as auth_views
from django.urls import path

from fazhi.core import views

app_name = "core"

urlpatterns = [
    path(
        "accounts/login/", auth_views.LoginView.as_view(template_name="registration/login.html"), name="login"
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("messages/", views.inbox, name="inbox"),
    path("messages/<int:pk>/read/", views.mark_read, name="mark_read"),
    path("services/", views.services, name="services"),
]
