from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "relais.reporting"
    verbose_name = "Indicateurs et données ouvertes"
