from django.apps import AppConfig


class NomenclaturesConfig(AppConfig):
    name = "relais.nomenclatures"
    label = "nomenclatures"
    verbose_name = "Nomenclatures"
