from django.apps import AppConfig


class ClinicConfig(AppConfig):
    name = "hipcoach.app.clinic"
    label = "clinic"
    verbose_name = "Clinic: clinicians, shared runners and appointment requests"

    def ready(self) -> None:
        from hipcoach.app.clinic.alerts import listen

        listen()
