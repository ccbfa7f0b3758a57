from django.apps import AppConfig


class EstablishmentsConfig(AppConfig):
    name = "relais.establishments"
    label = "establishments"
    verbose_name = "Établissements"
