from django.urls import path, re_path

from . import views, views_campus

app_name = "networks"
urlpatterns = [
    path("", views.club_list_view, name="club_list"),
    re_path(r"^clubs/export\.(?P<fmt>csv|xlsx)$", views.club_export_view, name="club_export"),
    path("clubs/nouveau/", views.club_create_view, name="club_create"),
    path("clubs/<int:pk>/", views.club_detail_view, name="club_detail"),
    path("clubs/<int:pk>/modifier/", views.club_edit_view, name="club_edit"),
    path("clubs/<int:pk>/membres/ajouter/", views.club_member_add_view, name="club_member_add"),
    path("membres/<int:pk>/retirer/", views.club_member_remove_view, name="club_member_remove"),
    path("clubs/<int:pk>/mandats/nommer/", views.mandate_create_view, name="mandate_create"),
    path("mandats/<int:pk>/renouveler/", views.mandate_renew_view, name="mandate_renew"),
    path("mandats/a-renouveler/", views.mandates_to_renew_view, name="mandates_to_renew"),
    path("annuaire/", views.directory_view, name="directory"),
    re_path(
        r"^annuaire/(?P<code>[0-9A-Za-z]{1,3})/(?P<year>\d{4})\.(?P<fmt>pdf|csv|xlsx)$",
        views.directory_export_view,
        name="directory_export",
    ),
    path(
        "annuaire/<str:code>/<int:year>/publier/",
        views.directory_publish_view,
        name="directory_publish",
    ),
    path("campus/", views_campus.campus_list_view, name="campus_list"),
    re_path(
        r"^campus/export\.(?P<fmt>csv|xlsx)$", views_campus.campus_export_view, name="campus_export"
    ),
    path("campus/nouveau/", views_campus.campus_create_view, name="campus_create"),
    path("campus/<int:pk>/", views_campus.campus_detail_view, name="campus_detail"),
    path("campus/<int:pk>/modifier/", views_campus.campus_edit_view, name="campus_edit"),
    path(
        "campus/<int:pk>/membres/ajouter/",
        views_campus.campus_member_add_view,
        name="campus_member_add",
    ),
    path(
        "campus/membres/<int:pk>/retirer/",
        views_campus.campus_member_remove_view,
        name="campus_member_remove",
    ),
]
