from django.apps import AppConfig


class InternshipsConfig(AppConfig):
    name = "relais.internships"
    label = "internships"
    verbose_name = "Pôles de stages"
