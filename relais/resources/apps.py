from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "relais.resources"
    label = "resources"
    verbose_name = "Kits et ressources"
