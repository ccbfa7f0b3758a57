from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _national_setting(sender, using="default", **kwargs):
    """After ``migrate`` and after a ``flush`` (which a test that commits ends with), the
    national setting of the parcours is there, as Django does for content types."""
    from .services.settings import national_setting_ensure

    if using == "default":
        national_setting_ensure()


class PathwaysConfig(AppConfig):
    name = "relais.pathways"
    label = "pathways"
    verbose_name = "Parcours Avenir"

    def ready(self) -> None:
        post_migrate.connect(_national_setting, sender=self)
