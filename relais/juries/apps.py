from django.apps import AppConfig


class JuriesConfig(AppConfig):
    name = "relais.juries"
    label = "juries"
    verbose_name = "Jurys d'examen"
