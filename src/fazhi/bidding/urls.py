from django.urls import path

from fazhi.bidding import views

app_name = "bidding"

urlpatterns = [
    path("", views.index, name="index"),
    path("rules/", views.rules_page, name="rules"),
    path("pools/", views.pool_list, name="pools"),
    path("pools/<int:pk>/", views.pool_detail, name="pool"),
    path("projects/new/", views.project_new, name="project_new"),
    path("projects/<int:pk>/", views.project_detail, name="project"),
    path("projects/<int:pk>/score/", views.score_page, name="score"),
    path("projects/<int:pk>/report.docx", views.report_download, name="report"),
    path("projects/<int:pk>/bidders/<int:bidder_id>/document/", views.bid_document, name="bid_document"),
    path("projects/<int:pk>/<slug:action>/", views.project_action, name="action"),
]
