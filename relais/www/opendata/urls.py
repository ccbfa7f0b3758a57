from django.urls import path

from . import conventions, views

app_name = "opendata"
urlpatterns = [
    path("", views.index_view, name="index"),
    path("fichiers/<str:name>", views.file_view, name="file"),
    path("archives/<str:day>/<str:name>", views.archive_file_view, name="archive_file"),
    path("stages/", views.offers_near_view, name="offers_near"),
    path("conventions/", conventions.convention_list_view, name="conventions"),
    path("conventions/<str:number>/", conventions.convention_view, name="convention"),
]
