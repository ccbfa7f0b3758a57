from django.apps import AppConfig


class NetworksConfig(AppConfig):
    name = "relais.networks"
    label = "networks"
    verbose_name = "Réseaux (clubs, campus)"
