from django.urls import path

from fazhi.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("annual.docx", views.annual_docx, name="annual_docx"),
    path("records/<str:key>/", views.records, name="records"),
]
