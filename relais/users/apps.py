from django.apps import AppConfig


class UsersConfig(AppConfig):
    name = "relais.users"
    label = "users"
    verbose_name = "Comptes"
