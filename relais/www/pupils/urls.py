from django.urls import path

from . import views

app_name = "pupils"
urlpatterns = [
    path("", views.roster_view, name="roster"),
    path("export/", views.roster_export_view, name="export"),
    path("nouveau/", views.pupil_create_view, name="pupil_create"),
    path("importer/", views.roster_import_view, name="import"),
    path("modele.csv", views.roster_template_view, name="template"),
    path("<int:pk>/", views.pupil_detail_view, name="pupil_detail"),
    path("<int:pk>/modifier/", views.pupil_edit_view, name="pupil_edit"),
]
