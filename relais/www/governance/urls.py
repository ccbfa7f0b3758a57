from django.urls import path, re_path

from . import councils, reports, views

app_name = "governance"
urlpatterns = [
    path("", views.body_list_view, name="body_list"),
    re_path(r"^export\.(?P<fmt>csv|xlsx)$", views.body_export_view, name="body_export"),
    re_path(
        r"^reunions/export\.(?P<fmt>csv|xlsx)$", views.meeting_export_view, name="meeting_export"
    ),
    path("conformite/", views.compliance_view, name="compliance"),
    path("nouvelle/", views.body_create_view, name="body_create"),
    path("<int:pk>/", views.body_detail_view, name="body_detail"),
    path("<int:pk>/modifier/", views.body_edit_view, name="body_edit"),
    path("<int:pk>/membres/ajouter/", views.member_add_view, name="member_add"),
    path("membres/<int:pk>/retirer/", views.member_remove_view, name="member_remove"),
    path("<int:pk>/reunions/nouvelle/", views.meeting_create_view, name="meeting_create"),
    path("reunions/<int:pk>/", views.meeting_detail_view, name="meeting_detail"),
    path("reunions/<int:pk>/modifier/", views.meeting_edit_view, name="meeting_edit"),
    path("reunions/<int:pk>/tenue/", views.meeting_hold_view, name="meeting_hold"),
    path("reunions/<int:pk>/annuler/", views.meeting_cancel_view, name="meeting_cancel"),
    path("reunions/<int:pk>/replanifier/", views.meeting_replan_view, name="meeting_replan"),
    path("reunions/<int:pk>/presences/", views.meeting_attendance_view, name="meeting_attendance"),
    path("reunions/<int:pk>/compte-rendu/", views.meeting_minutes_view, name="meeting_minutes"),
    path(
        "reunions/<int:pk>/compte-rendu.pdf",
        views.meeting_minutes_file_view,
        name="meeting_minutes_file",
    ),
    path(
        "reunions/<int:pk>/envoyer-compte-rendu/",
        views.meeting_send_minutes_view,
        name="meeting_send_minutes",
    ),
    path("reunions/<int:pk>/decisions/", views.decision_add_view, name="decision_add"),
    path("decisions/<int:pk>/supprimer/", views.decision_remove_view, name="decision_remove"),
    path("reunions/<int:pk>/actions/", views.action_add_view, name="action_add"),
    path("actions/<int:pk>/realisee/", views.action_done_view, name="action_done"),
    path("conseils-sectoriels/", councils.council_list_view, name="council_list"),
    path("conseils-sectoriels/nouveau/", councils.council_create_view, name="council_create"),
    path("conseils-sectoriels/<int:pk>/", councils.council_detail_view, name="council_detail"),
    path(
        "conseils-sectoriels/<int:pk>/recommandations/",
        councils.recommendation_add_view,
        name="recommendation_add",
    ),
    path(
        "recommandations/<int:pk>/suites/",
        councils.recommendation_follow_up_view,
        name="recommendation_follow_up",
    ),
    path("bilans/", reports.report_list_view, name="report_list"),
    path("bilans/convention/<int:pk>/", reports.report_agreement_view, name="report_agreement"),
    path("bilans/<int:pk>/", reports.report_detail_view, name="report_detail"),
    path("bilans/<int:pk>/modifier/", reports.report_edit_view, name="report_edit"),
    path("bilans/<int:pk>/valider/", reports.report_validate_view, name="report_validate"),
    path(
        "bilans/<int:pk>/preuves/<slug:key>/",
        reports.report_evidence_view,
        name="report_evidence",
    ),
    path("bilans/<int:pk>/bilan.docx", reports.report_docx_view, name="report_docx"),
    path("bilans/<int:pk>/bilan.pdf", reports.report_pdf_view, name="report_pdf"),
]
