from django.urls import path, re_path

from relais.actions.workflows import OFFER_WORKFLOW, REQUEST_WORKFLOW

from . import views

# The transitions' names, read from the workflows (« publier|clore », « accepter|… »).
OFFER_STEPS = "|".join(OFFER_WORKFLOW.by_name)
REQUEST_STEPS = "|".join(REQUEST_WORKFLOW.by_name)

app_name = "actions"
urlpatterns = [
    path("", views.offer_list_view, name="offer_list"),
    re_path(r"^export\.(?P<fmt>csv|xlsx)$", views.offer_export_view, name="offer_export"),
    path("offres/nouvelle/", views.offer_create_view, name="offer_create"),
    path("offres/<int:pk>/", views.offer_detail_view, name="offer_detail"),
    path("offres/<int:pk>/modifier/", views.offer_edit_view, name="offer_edit"),
    re_path(
        rf"^offres/(?P<pk>\d+)/(?P<transition>{OFFER_STEPS})/$",
        views.offer_transition_view,
        name="offer_transition",
    ),
    path("offres/<int:pk>/demander/", views.request_create_view, name="request_create"),
    path("demandes/", views.request_list_view, name="request_list"),
    re_path(
        r"^demandes/export\.(?P<fmt>csv|xlsx)$", views.request_export_view, name="request_export"
    ),
    path("demandes/<int:pk>/", views.request_detail_view, name="request_detail"),
    re_path(
        rf"^demandes/(?P<pk>\d+)/(?P<transition>{REQUEST_STEPS})/$",
        views.request_transition_view,
        name="request_transition",
    ),
    path("realisees/", views.record_list_view, name="record_list"),
    re_path(
        r"^realisees/export\.(?P<fmt>csv|xlsx)$", views.record_export_view, name="record_export"
    ),
    path("realisees/nouvelle/", views.record_create_view, name="record_create"),
]
