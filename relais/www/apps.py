from django.apps import AppConfig


class WwwConfig(AppConfig):
    name = "relais.www"
    label = "www"
    verbose_name = "Interface"
