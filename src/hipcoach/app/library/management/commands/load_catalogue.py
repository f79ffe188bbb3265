from typing import Any

from django.core.management.base import BaseCommand

from hipcoach.app.library.catalogue import sync_catalogue


class Command(BaseCommand):
    help = "Load the shipped drill catalogue into the database (migrate does this too)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = sync_catalogue()
        self.stdout.write(f"{count} drills in the library")
