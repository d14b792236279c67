from django.urls import path, re_path

from fazhi.exams import views
from fazhi.exams.views import certificates, competition, exam, exam_setup, manage, practice, qualifications

app_name = "exams"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:exam_id>/", exam.exam_detail, name="exam"),
    path("<int:exam_id>/start", exam.exam_start, name="start"),
    path("attempts/<int:attempt_id>/", exam.attempt_page, name="attempt"),
    path("attempts/<int:attempt_id>/save", exam.attempt_save, name="attempt_save"),
    path("attempts/<int:attempt_id>/answers/<int:question_id>", exam.attempt_answer, name="attempt_answer"),
    path("practice/", practice.practice_page, name="practice"),
    path("competitions/", competition.competition_list, name="competitions"),
    path("competitions/rounds/<int:round_id>/", competition.round_page, name="round"),
    path("competitions/rounds/<int:round_id>/start", competition.round_start, name="round_start"),
    path("competitions/entries/<int:entry_id>/", competition.entry_page, name="entry"),
    path("manage/", manage.manage_index, name="manage"),
    path("manage/import/", manage.manage_import, name="manage_import"),
    path("manage/new/", exam_setup.exam_new, name="exam_new"),
    path("manage/blueprint/", exam_setup.blueprint_preview, name="blueprint_preview"),
    path("manage/<int:exam_id>/edit/", exam_setup.exam_edit, name="exam_edit"),
    re_path(
        r"^manage/(?P<exam_id>[0-9]+)/(?P<action>publish|withdraw|close)$",
        exam_setup.exam_action,
        name="exam_action",
    ),
    path("manage/<int:exam_id>/", manage.manage_exam, name="manage_exam"),
    path("manage/<int:exam_id>/results.xlsx", manage.manage_export, name="manage_export"),
    path("certificates/", certificates.dashboard, name="certificates"),
    path("certificates/people/", certificates.people, name="people"),
    path("certificates/gaps/", certificates.gaps_page, name="gaps"),
    path("certificates/gaps.xlsx", certificates.gaps_export, name="gaps_export"),
    path("qualifications/", qualifications.specialists_page, name="specialists"),
    path("qualifications.xlsx", qualifications.specialists_export, name="specialists_export"),
    path("me/", certificates.my_records, name="me"),
]
