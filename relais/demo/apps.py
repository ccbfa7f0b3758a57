from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo of `make run` (top layer: it builds on every area). Its ``load_demo`` command
    loads the real reference data, the real partners, demo companies and one account per role."""

    name = "relais.demo"
    label = "demo"
    verbose_name = "Démonstration"
