from django.urls import path
from django.views.generic import RedirectView

from . import (
    views_cases,
    views_engine,
    views_hubs,
    views_offers,
    views_preparation,
    views_public,
    views_reports,
    views_school,
)

app_name = "internships"
urlpatterns = [
    path("", views_engine.home_view, name="home"),
    # The pupils' pages moved to /eleves/ (relais.www.pupils): old links still lead there.
    path("eleves/", RedirectView.as_view(pattern_name="pupils:roster", permanent=True)),
    path(
        "eleves/<int:pk>/",
        RedirectView.as_view(pattern_name="pupils:pupil_detail", permanent=True),
    ),
    # Schools: periods
    path("periodes/", views_school.period_list_view, name="period_list"),
    path("periodes/nouvelle/", views_school.period_create_view, name="period_create"),
    path("periodes/<int:pk>/modifier/", views_school.period_edit_view, name="period_edit"),
    path("periodes/<int:pk>/supprimer/", views_school.period_delete_view, name="period_delete"),
    # Preparation of the stage de 3e, class by class (Mesure 2); « - »: the whole level
    path("preparation/", views_preparation.preparation_list_view, name="preparation_list"),
    # A class label may hold a « / » (« 3e1/3e2 »): the forms' addresses come first.
    path(
        "preparation/<int:pk>/<path:class_label>/contenus/<str:topic>/",
        views_preparation.preparation_step_view,
        name="preparation_step",
    ),
    path(
        "preparation/<int:pk>/<path:class_label>/rapports/",
        views_preparation.stage_reports_view,
        name="stage_reports",
    ),
    path(
        "preparation/<int:pk>/<path:class_label>/",
        views_preparation.preparation_class_view,
        name="preparation_class",
    ),
    # Cases, proposals, placements
    path("dossiers/", views_cases.case_list_view, name="case_list"),
    path("dossiers/export/", views_cases.case_export_view, name="case_export"),
    path("dossiers/importer/", views_school.case_import_view, name="case_import"),
    path("dossiers/modele.csv", views_school.case_import_template_view, name="case_template"),
    path("dossiers/ouvrir/<int:pupil_pk>/", views_cases.case_open_view, name="case_open"),
    path("dossiers/<int:pk>/", views_cases.case_detail_view, name="case_detail"),
    path("dossiers/<int:pk>/recherche/", views_cases.case_edit_view, name="case_edit"),
    path("dossiers/<int:pk>/etape/<str:step>/", views_cases.case_move_view, name="case_move"),
    path("dossiers/<int:pk>/attribuer/", views_cases.case_assign_view, name="case_assign"),
    path("dossiers/<int:pk>/proposer/", views_cases.proposal_send_view, name="proposal_send"),
    path("propositions/", views_cases.proposal_list_view, name="proposal_list"),
    path(
        "propositions/<int:pk>/annuler/", views_cases.proposal_cancel_view, name="proposal_cancel"
    ),
    path(
        "propositions/<int:pk>/confirmer/",
        views_cases.proposal_confirm_view,
        name="proposal_confirm",
    ),
    path(
        "propositions/<int:pk>/convention.pdf",
        views_cases.agreement_pdf_view,
        name="agreement_pdf",
    ),
    path(
        "propositions/<int:pk>/convention.docx",
        views_cases.agreement_docx_view,
        name="agreement_docx",
    ),
    path(
        "propositions/<int:pk>/confidentialite/",
        views_cases.confidentiality_record_view,
        name="confidentiality_record",
    ),
    path("poles/", views_cases.hub_list_view, name="hub_list"),
    path("poles/<int:pk>/modifier/", views_cases.hub_edit_view, name="hub_edit"),
    path("poles/nouveau/", views_hubs.hub_create_view, name="hub_create"),
    # Offers
    path("offres/", views_offers.offer_list_view, name="offer_list"),
    path("offres/nouvelle/", views_offers.offer_create_view, name="offer_create"),
    path("offres/<int:pk>/", views_offers.offer_detail_view, name="offer_detail"),
    path("offres/<int:pk>/modifier/", views_offers.offer_edit_view, name="offer_edit"),
    path("offres/<int:pk>/places/", views_offers.offer_slots_view, name="offer_slots"),
    path("offres/<int:pk>/publier/", views_offers.offer_publish_view, name="offer_publish"),
    path("offres/<int:pk>/fermer/", views_offers.offer_close_view, name="offer_close"),
    # The engine
    path("calculs/", views_engine.run_list_view, name="run_list"),
    path("calculs/<int:pk>/", views_engine.run_detail_view, name="run_detail"),
    path("calculs/<int:pk>/envoyer/", views_engine.run_send_all_view, name="run_send_all"),
    path(
        "calculs/<int:run_pk>/suggestions/<int:pk>/",
        views_engine.suggestion_edit_view,
        name="suggestion_edit",
    ),
    path(
        "calculs/<int:run_pk>/suggestions/<int:pk>/envoyer/",
        views_engine.suggestion_send_view,
        name="suggestion_send",
    ),
    path(
        "calculs/<int:run_pk>/suggestions/<int:pk>/ecarter/",
        views_engine.suggestion_discard_view,
        name="suggestion_discard",
    ),
    # Mesure 2 and the figures
    path("calendrier/", views_reports.calendar_view, name="calendar"),
    path("indicateurs/", views_reports.indicators_view, name="indicators"),
    path("indicateurs/export/", views_reports.indicators_export_view, name="indicators_export"),
    # Signed links for companies (no account)
    path("reponse/<str:token>/", views_public.answer_view, name="answer"),
    path("avis/<str:token>/", views_public.feedback_view, name="feedback"),
]
