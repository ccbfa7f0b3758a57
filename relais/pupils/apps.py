from django.apps import AppConfig


class PupilsConfig(AppConfig):
    name = "relais.pupils"
    label = "pupils"
    verbose_name = "Élèves"
