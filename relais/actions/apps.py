from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "relais.actions"
    label = "actions"
    verbose_name = "Catalogue d'actions"
