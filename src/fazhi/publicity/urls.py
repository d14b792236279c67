from django.urls import path

from fazhi.publicity import views

app_name = "publicity"

urlpatterns = [
    path("", views.index, name="index"),
    path("posts/", views.post_list, name="post_list"),
    path("posts/<int:pk>/", views.post_detail, name="post_detail"),
    path("media/<str:kind>/<int:pk>/", views.media, name="media"),
    path("topics/<slug:slug>/", views.topic, name="topic"),
    path("calendar/", views.calendar, name="calendar"),
    path("manage/", views.manage, name="manage"),
    path("manage/new/", views.post_new, name="post_new"),
    path("manage/<int:pk>/", views.post_edit, name="post_edit"),
    path("manage/<int:pk>/publish/", views.post_publish, name="post_publish"),
    path("activities/new/", views.activity_new, name="activity_new"),
    path("responsibility/", views.responsibility, name="responsibility"),
    path("responsibility/export.xlsx", views.responsibility_export, name="responsibility_export"),
    path("responsibility/<int:pk>/", views.responsibility_list, name="responsibility_list"),
]
