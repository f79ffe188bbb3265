from django.apps import AppConfig
from django.db.models.signals import post_migrate


class LibraryConfig(AppConfig):
    name = "hipcoach.app.library"
    label = "library"
    verbose_name = "Drill library"

    def ready(self) -> None:
        from hipcoach.app.library.signals import load_catalogue_after_migrate

        post_migrate.connect(load_catalogue_after_migrate, sender=self)
