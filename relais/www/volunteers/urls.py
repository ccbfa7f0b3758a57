from django.urls import path

from . import views_advisors as advisors
from . import views_cet as cet
from . import views_documents as documents
from . import views_immersions as immersions
from . import views_mine as mine
from . import views_reserve as reserve

app_name = "volunteers"
urlpatterns = [
    # CEE and CET
    path("conseillers/", advisors.advisor_list_view, name="advisor_list"),
    path("conseillers/export/", advisors.advisor_export_view, name="advisor_export"),
    path("conseillers/proposer/", advisors.advisor_propose_view, name="advisor_propose"),
    path("conseillers/engagements/", advisors.commitments_view, name="commitments"),
    path("conseillers/interventions/", advisors.intervention_list_view, name="intervention_list"),
    path(
        "conseillers/interventions/export/",
        advisors.intervention_export_view,
        name="intervention_export",
    ),
    path("conseillers/liste-nominative/", advisors.nominative_list_view, name="nominative_list"),
    path(
        "conseillers/liste-nominative/<str:fmt>/",
        advisors.nominative_list_download_view,
        name="nominative_list_download",
    ),
    path("conseillers/a-renouveler/", cet.advisor_renewals_view, name="advisor_renewals"),
    path("conseillers/<int:pk>/", advisors.advisor_detail_view, name="advisor_detail"),
    path("conseillers/<int:pk>/renouveler/", cet.advisor_renew_view, name="advisor_renew"),
    path("conseillers/<int:pk>/sieges/ajouter/", cet.seat_add_view, name="seat_add"),
    path("conseillers/<int:pk>/sieges/<int:seat_pk>/clore/", cet.seat_end_view, name="seat_end"),
    path(
        "conseillers/<int:pk>/designer/", advisors.advisor_designate_view, name="advisor_designate"
    ),
    path("conseillers/<int:pk>/refuser/", advisors.advisor_refuse_view, name="advisor_refuse"),
    path("conseillers/<int:pk>/retirer/", advisors.advisor_withdraw_view, name="advisor_withdraw"),
    path(
        "conseillers/<int:pk>/employeur-informe/",
        advisors.advisor_confirm_view,
        name="advisor_confirm",
    ),
    path("conseillers/<int:pk>/terminer/", advisors.advisor_end_view, name="advisor_end"),
    path(
        "conseillers/<int:pk>/lettre-de-mission.<str:fmt>",
        advisors.advisor_letter_view,
        name="advisor_letter",
    ),
    path(
        "conseillers/<int:pk>/interventions/ajouter/",
        advisors.intervention_create_view,
        name="intervention_create",
    ),
    # Réserve citoyenne
    path("mon-espace/", mine.mine_view, name="mine"),
    path("reserve/", reserve.reservist_search_view, name="reservist_search"),
    path("reserve/inscription/", reserve.reserve_signup_view, name="reserve_signup"),
    path(
        "reserve/inscription/merci/", reserve.reserve_signup_done_view, name="reserve_signup_done"
    ),
    path("reserve/charte/", reserve.reserve_charter_view, name="reserve_charter"),
    path("reserve/communes/", reserve.reserve_communes_view, name="reserve_communes"),
    path("reserve/candidatures/", reserve.application_list_view, name="application_list"),
    path(
        "reserve/candidatures/export/", reserve.application_export_view, name="application_export"
    ),
    path(
        "reserve/candidatures/<int:pk>/", reserve.application_detail_view, name="application_detail"
    ),
    path(
        "reserve/candidatures/<int:pk>/engagement.pdf",
        documents.reservist_engagement_view,
        name="reservist_engagement",
    ),
    path(
        "reserve/candidatures/<int:pk>/valider/",
        reserve.application_validate_view,
        name="application_validate",
    ),
    path(
        "reserve/candidatures/<int:pk>/refuser/",
        reserve.application_refuse_view,
        name="application_refuse",
    ),
    path("reserve/<int:pk>/solliciter/", reserve.reservist_request_view, name="reservist_request"),
    path("reserve/sollicitations/", reserve.request_list_view, name="request_list"),
    path("reserve/sollicitations/export/", reserve.request_export_view, name="request_export"),
    path("reserve/sollicitations/<int:pk>/", reserve.request_detail_view, name="request_detail"),
    path(
        "reserve/sollicitations/<int:pk>/accepter/",
        reserve.request_accept_view,
        name="request_accept",
    ),
    path(
        "reserve/sollicitations/<int:pk>/decliner/",
        reserve.request_decline_view,
        name="request_decline",
    ),
    path(
        "reserve/sollicitations/<int:pk>/annuler/",
        reserve.request_cancel_view,
        name="request_cancel",
    ),
    path(
        "reserve/sollicitations/<int:pk>/realisee/", reserve.request_done_view, name="request_done"
    ),
    # Immersions
    path("immersions/", immersions.offer_list_view, name="offer_list"),
    path("immersions/nouvelle/", immersions.offer_create_view, name="offer_create"),
    path(
        "immersions/candidatures/",
        immersions.immersion_application_list_view,
        name="immersion_application_list",
    ),
    path(
        "immersions/candidatures/export/",
        immersions.immersion_application_export_view,
        name="immersion_application_export",
    ),
    path(
        "immersions/candidatures/<int:pk>/attestation.pdf",
        documents.immersion_attestation_view,
        name="immersion_attestation",
    ),
    path(
        "immersions/candidatures/<int:pk>/valider/",
        immersions.immersion_approve_view,
        name="immersion_approve",
    ),
    path(
        "immersions/candidatures/<int:pk>/refuser/",
        immersions.immersion_refuse_view,
        name="immersion_refuse",
    ),
    path(
        "immersions/candidatures/<int:pk>/evaluer/",
        immersions.immersion_evaluate_view,
        name="immersion_evaluate",
    ),
    path("immersions/<int:pk>/", immersions.offer_detail_view, name="immersion_detail"),
    path("immersions/<int:pk>/ouvrir-fermer/", immersions.offer_toggle_view, name="offer_toggle"),
    path("immersions/<int:pk>/candidater/", immersions.offer_apply_view, name="offer_apply"),
    # The 56-hour course
    path("parcours-56h/", immersions.course_list_view, name="course_list"),
    path("parcours-56h/nouveau/", immersions.course_create_view, name="course_create"),
    path("parcours-56h/en-retard/", immersions.course_late_view, name="course_late"),
    path("parcours-56h/<int:pk>/", immersions.course_detail_view, name="course_detail"),
    path(
        "parcours-56h/<int:pk>/inscrire/", immersions.participant_add_view, name="participant_add"
    ),
    path(
        "parcours-56h/participants/<int:pk>/heures/",
        immersions.hours_add_view,
        name="hours_add",
    ),
]
