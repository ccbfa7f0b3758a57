from django.urls import path

from . import views_newcomers as newcomers
from . import views_sections as sections

app_name = "training"
urlpatterns = [
    path("", sections.section_list_view, name="section_list"),
    path("ajouter/", sections.section_create_view, name="section_create"),
    path("<int:pk>/", sections.section_detail_view, name="section_detail"),
    path("evolutions/", sections.change_list_view, name="change_list"),
    path("evolutions/nouvelle/", sections.change_create_view, name="change_create"),
    path("evolutions/<int:pk>/", sections.change_detail_view, name="change_detail"),
    path(
        "evolutions/<int:pk>/<slug:name>/",
        sections.change_transition_view,
        name="change_transition",
    ),
    path("avis/<int:pk>/", sections.opinion_view, name="opinion"),
    path("metiers-en-tension/", sections.shortage_list_view, name="shortage_list"),
    path("metiers-en-tension/signaler/", sections.shortage_create_view, name="shortage_create"),
    path("jeunes-allophones/", newcomers.newcomer_list_view, name="newcomer_list"),
    path("jeunes-allophones/deposer/", newcomers.newcomer_upload_view, name="newcomer_upload"),
    path("jeunes-allophones/engagements/", newcomers.commitments_view, name="newcomer_commitments"),
    path("jeunes-allophones/casnav/", newcomers.casnav_staff_view, name="casnav_staff"),
    path("jeunes-allophones/<int:pk>/", newcomers.newcomer_detail_view, name="newcomer_detail"),
    path("jeunes-allophones/<int:pk>/cv/", newcomers.newcomer_cv_view, name="newcomer_cv"),
    path(
        "jeunes-allophones/<int:pk>/partager/", newcomers.newcomer_share_view, name="newcomer_share"
    ),
    path(
        "jeunes-allophones/<int:pk>/retrait/",
        newcomers.newcomer_withdraw_view,
        name="newcomer_withdraw",
    ),
    path(
        "jeunes-allophones/<int:pk>/repondre/", newcomers.answer_create_view, name="answer_create"
    ),
    path(
        "jeunes-allophones/<int:pk>/reponse/<slug:name>/",
        newcomers.answer_transition_view,
        name="answer_transition",
    ),
]
