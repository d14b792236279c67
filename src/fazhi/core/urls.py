from django.contrib.auth import views as auth_views
from django.urls import path

from fazhi.core import job_views, two_factor_views, views

app_name = "core"

urlpatterns = [
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/login/code/", two_factor_views.login_code, name="login_code"),
    path("accounts/2fa/", two_factor_views.settings_page, name="two_factor"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/register/", views.register, name="register"),
    path("accounts/profile/", views.profile, name="profile"),
    path("accounts/password/", views.ChangePasswordView.as_view(), name="password_change"),
    path("accounts/password/done/", views.PasswordChangedView.as_view(), name="password_change_done"),
    path("accounts/password/reset/", views.ResetRequestView.as_view(), name="password_reset"),
    path("accounts/password/reset/sent/", views.ResetSentView.as_view(), name="password_reset_sent"),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        views.ResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/password/reset/done/", views.ResetCompleteView.as_view(), name="password_reset_complete"),
    path("accounts/keepalive/", views.keepalive, name="keepalive"),
    path("messages/", views.inbox, name="inbox"),
    path("messages/<int:pk>/read/", views.mark_read, name="mark_read"),
    path("messages/read-all/", views.mark_all_read, name="mark_all_read"),
    path("services/", views.services, name="services"),
    path("jobs/", job_views.job_list, name="jobs"),
    path("jobs/<int:pk>/", job_views.job_detail, name="job"),
]
