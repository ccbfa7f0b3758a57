from django.urls import path

from . import views

app_name = "resources"
urlpatterns = [
    path("", views.list_view, name="list"),
    path("nouvelle/", views.create_view, name="create"),
    path("<int:pk>/", views.detail_view, name="detail"),
    path("<int:pk>/versions/<int:number>/", views.version_view, name="version"),
    path("<int:pk>/fichier/", views.download_view, name="download"),
    path("<int:pk>/nouvelle-version/", views.version_add_view, name="version_add"),
    path("<int:pk>/archiver/", views.archive_view, name="archive"),
    # Companies open the tutor kit from their e-mail, without an account.
    path("partage/<str:token>/", views.shared_view, name="shared"),
    path("partage/<str:token>/fichier/", views.shared_download_view, name="shared_download"),
]
