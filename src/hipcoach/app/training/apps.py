from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "hipcoach.app.training"
    label = "training"
    verbose_name = "Training: settings, logs and progression"
