from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "hipcoach.app.accounts"
    label = "accounts"
    verbose_name = "Runner accounts"
