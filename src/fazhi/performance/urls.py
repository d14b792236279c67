from django.urls import path

from fazhi.performance import views

app_name = "performance"

urlpatterns = [
    path("", views.index, name="index"),
    path("disclosure/<slug:unit_code>/<int:year>/", views.disclosure, name="disclosure"),
    path(
        "disclosure/<slug:unit_code>/<int:year>/download.xlsx", views.disclosure_xlsx, name="disclosure_xlsx"
    ),
    path(
        "disclosure/<slug:unit_code>/<int:year>/download.docx", views.disclosure_docx, name="disclosure_docx"
    ),
    path("manage/", views.dashboard, name="dashboard"),
    path("manage/units/<int:pk>/", views.unit_detail, name="unit"),
    path("manage/units/<int:pk>/action/", views.unit_action, name="unit_action"),
    path("manage/units/<int:pk>/remark/", views.remark_new, name="remark"),
    path("manage/projects/<int:pk>/", views.project_detail, name="project"),
    path("manage/projects/<int:pk>/target/", views.target_edit, name="target_edit"),
    path("manage/projects/<int:pk>/evaluation/", views.evaluation_edit, name="evaluation_edit"),
    path("manage/projects/<int:pk>/<str:kind>/transition/", views.transition, name="transition"),
    path("manage/projects/<int:pk>/export.xlsx", views.project_export, name="export"),
    path("manage/projects/<int:pk>/import/", views.project_import, name="import"),
    path("manage/projects/<int:pk>/key-evaluations/", views.key_evaluation_new, name="key_evaluation"),
]
