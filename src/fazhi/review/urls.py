from django.urls import include, path

from fazhi.review import views

app_name = "review"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.draft_new, name="draft_new"),
    path("ledger/", views.ledger_page, name="ledger"),
    path("ledger.xlsx", views.ledger_xlsx, name="ledger_xlsx"),
    path("register/", views.register_list, name="register"),
    path("register.xlsx", views.register_xlsx, name="register_xlsx"),
    path("register/new/", views.register_new, name="register_new"),
    path("register/<int:entry_id>/", views.register_edit, name="register_edit"),
    path("register/import/", views.register_import, name="register_import"),
    path("register/template.xlsx", views.register_template, name="register_template"),
    path("drafts/<int:draft_id>/", views.draft_detail, name="draft"),
    path("drafts/<int:draft_id>/transition/", views.draft_transition, name="transition"),
    path("drafts/<int:draft_id>/upload/", views.draft_upload, name="upload"),
    path("drafts/<int:draft_id>/correct-number/", views.draft_correct_number, name="correct_number"),
    path("drafts/<int:draft_id>/procedures/", views.draft_procedure, name="procedure"),
    path("drafts/<int:draft_id>/validity/", views.draft_validity, name="validity"),
    path("drafts/<int:draft_id>/fair-competition/", views.draft_fair_competition, name="fair_competition"),
    path("drafts/<int:draft_id>/library/", views.draft_library, name="library"),
    path("drafts/<int:draft_id>/findings/", views.finding_add, name="finding_add"),
    path(
        "drafts/<int:draft_id>/findings/<int:finding_id>/remove/", views.finding_remove, name="finding_remove"
    ),
    path(
        "drafts/<int:draft_id>/findings/<int:finding_id>/resolve/",
        views.finding_resolve,
        name="finding_resolve",
    ),
    path("drafts/<int:draft_id>/conclusion/", views.conclusion, name="conclusion"),
    path("drafts/<int:draft_id>/precheck/<int:finding_id>/", views.precheck_decide, name="precheck_decide"),
    path("drafts/<int:draft_id>/precheck/rerun/", views.precheck_rerun, name="precheck_rerun"),
    path("drafts/<int:draft_id>/versions/<int:number>/", views.version_text, name="version"),
    path("drafts/<int:draft_id>/versions/<int:number>/diff/", views.version_diff, name="diff"),
    path("drafts/<int:draft_id>/opinion.docx", views.opinion_docx, name="opinion_docx"),
    path("precheck/", include("fazhi.review.precheck.urls")),
]
