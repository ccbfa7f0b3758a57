from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "relais.governance"
    label = "governance"
    verbose_name = "Gouvernance"
