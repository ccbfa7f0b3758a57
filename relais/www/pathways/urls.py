from django.urls import path

from . import views_exports, views_indicators, views_school, views_settings

app_name = "pathways"
urlpatterns = [
    path("", views_school.home_view, name="home"),
    path("etablissements/<int:pk>/", views_school.school_view, name="school"),
    path("etablissements/<int:pk>/classes/<path:label>/", views_school.class_view, name="class"),
    path("etablissements/<int:pk>/experience/", views_school.credit_view, name="credit"),
    path("experiences/<int:pk>/", views_school.experience_view, name="experience"),
    path(
        "experiences/<int:pk>/supprimer/",
        views_school.experience_delete_view,
        name="experience_delete",
    ),
    path("eleves/<int:pupil_pk>/stage/", views_school.internship_view, name="internship"),
    # Exports (issue 10, item 5); the class's under a prefix of its own, since a class label
    # may hold a « / ».
    path("eleves/<int:pk>/parcours.pdf", views_exports.pupil_pdf_view, name="pupil_pdf"),
    path("eleves/<int:pk>/parcours.json", views_exports.pupil_json_view, name="pupil_json"),
    path(
        "etablissements/<int:pk>/pdf/<path:label>/", views_exports.class_pdf_view, name="class_pdf"
    ),
    # Above the school: counts only (views_indicators).
    path("indicateurs/", views_indicators.indicators_view, name="indicators"),
    path("indicateurs/export/", views_indicators.indicators_export_view, name="indicators_export"),
    # The académie's settings (views_settings).
    path("reglages/", views_settings.settings_view, name="settings"),
    path("reglages/objectifs/", views_settings.objective_add_view, name="settings_objective_add"),
    path(
        "reglages/objectifs/<int:pk>/supprimer/",
        views_settings.objective_remove_view,
        name="settings_objective_remove",
    ),
]
