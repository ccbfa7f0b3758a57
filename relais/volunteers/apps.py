from django.apps import AppConfig


class VolunteersConfig(AppConfig):
    name = "relais.volunteers"
    label = "volunteers"
    verbose_name = "Bénévoles et conseillers"
