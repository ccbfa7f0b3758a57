from django.apps import AppConfig


class PathwaysConfig(AppConfig):
    name = "relais.pathways"
    label = "pathways"
    verbose_name = "Parcours Avenir"
