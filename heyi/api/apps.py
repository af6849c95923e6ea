from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "heyi.api"
    label = "heyi_api"
