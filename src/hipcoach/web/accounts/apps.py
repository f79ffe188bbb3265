from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "hipcoach.web.accounts"
    label = "accounts"
    verbose_name = "Runner accounts"
