from django.urls import path, re_path

from . import views

app_name = "actions"
urlpatterns = [
    path("", views.offer_list_view, name="offer_list"),
    re_path(r"^export\.(?P<fmt>csv|xlsx)$", views.offer_export_view, name="offer_export"),
    path("offres/nouvelle/", views.offer_create_view, name="offer_create"),
    path("offres/<int:pk>/", views.offer_detail_view, name="offer_detail"),
    path("offres/<int:pk>/modifier/", views.offer_edit_view, name="offer_edit"),
    path("offres/<int:pk>/publier/", views.offer_publish_view, name="offer_publish"),
    path("offres/<int:pk>/clore/", views.offer_close_view, name="offer_close"),
    path("offres/<int:pk>/demander/", views.request_create_view, name="request_create"),
    path("demandes/", views.request_list_view, name="request_list"),
    re_path(
        r"^demandes/export\.(?P<fmt>csv|xlsx)$", views.request_export_view, name="request_export"
    ),
    path("demandes/<int:pk>/", views.request_detail_view, name="request_detail"),
    re_path(
        r"^demandes/(?P<pk>\d+)/(?P<transition>accepter|refuser|annuler|realiser)/$",
        views.request_transition_view,
        name="request_transition",
    ),
    path("realisees/", views.record_list_view, name="record_list"),
    re_path(
        r"^realisees/export\.(?P<fmt>csv|xlsx)$", views.record_export_view, name="record_export"
    ),
    path("realisees/nouvelle/", views.record_create_view, name="record_create"),
]
