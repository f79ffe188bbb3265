from django.apps import AppConfig


class ScreensConfig(AppConfig):
    name = "hipcoach.app.screens"
    label = "screens"
    verbose_name = "Hip screens"
