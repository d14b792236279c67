from django.urls import path

from fazhi.policies import views

app_name = "policies"

urlpatterns = [
    path("", views.index_page, name="index"),
    path("<int:policy_id>/", views.detail, name="detail"),
    path("attachments/<int:attachment_id>/", views.attachment, name="attachment"),
    path("match/", views.match_page, name="match"),
    path("subscribe/", views.subscribe, name="subscribe"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("unsubscribe/<str:token>/undo/", views.resubscribe, name="resubscribe"),
]
