from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "relais.training"
    label = "training"
    verbose_name = "Offre de formation, apprentissage et jeunes allophones"
