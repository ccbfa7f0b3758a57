from django.urls import path

from . import views

app_name = "outbox"
urlpatterns = [
    path("", views.outbox_list_view, name="list"),
    path("<int:pk>/renvoyer/", views.outbox_retry_view, name="retry"),
]
