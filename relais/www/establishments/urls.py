from django.urls import path

from . import views

app_name = "establishments"
urlpatterns = [
    path("", views.establishment_list_view, name="list"),
    path("export.csv", views.establishment_export_view, name="export"),
    path("<str:uai>/", views.establishment_detail_view, name="detail"),
    path("<str:uai>/historique/", views.establishment_history_view, name="history"),
]
