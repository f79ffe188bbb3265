from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "hipcoach.web.plans"
    label = "plans"
    verbose_name = "Plans"
