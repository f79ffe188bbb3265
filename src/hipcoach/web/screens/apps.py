from django.apps import AppConfig


class ScreensConfig(AppConfig):
    name = "hipcoach.web.screens"
    label = "screens"
    verbose_name = "Hip screens"
