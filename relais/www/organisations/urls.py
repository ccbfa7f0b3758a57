from django.urls import path

from . import views

app_name = "organisations"
urlpatterns = [
    path("", views.organisation_list_view, name="list"),
    path("export.csv", views.organisation_export_view, name="export"),
    path("nouvelle/", views.organisation_create_view, name="create"),
    path("<int:pk>/", views.organisation_detail_view, name="detail"),
    path("<int:pk>/modifier/", views.organisation_edit_view, name="edit"),
    path("<int:pk>/archiver/", views.organisation_archive_view, name="archive"),
    path("<int:pk>/restaurer/", views.organisation_restore_view, name="restore"),
    path("<int:pk>/historique/", views.organisation_history_view, name="history"),
]
