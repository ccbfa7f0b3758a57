from django.urls import path

from . import views

app_name = "juries"
urlpatterns = [
    path("", views.session_list_view, name="session_list"),
    path("nouvelle/", views.session_create_view, name="session_create"),
    path("engagements/", views.commitments_view, name="commitments"),
    path("<int:pk>/", views.session_detail_view, name="session_detail"),
    path("<int:pk>/designer/", views.juror_name_view, name="juror_name"),
    path("<int:pk>/convoquer/", views.session_convoke_view, name="session_convoke"),
    path("jures/<int:pk>/<slug:name>/", views.juror_transition_view, name="juror_transition"),
]
