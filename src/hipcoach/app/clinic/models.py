"""The clinic, its clinicians, a runner's link to a clinician (what they share, from when, until when) and a runner's
request for an appointment.

A clinician sees a runner only through a link the runner accepted and has not stopped: never by logging in as them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from hipcoach.app.clock import now
from hipcoach.core.alerts import AlertKind
from hipcoach.core.clearance import Clearance as CoreClearance
from hipcoach.core.clearance import ClearanceKind

NAME_LENGTH = 120
PHONE_LENGTH = 40
TEXT_LENGTH = 2000


class Clinic(models.Model):
    """A physiotherapy clinic: what a runner needs to reach it, shown on every referral page."""

    name = models.CharField(max_length=NAME_LENGTH, unique=True)
    phone = models.CharField(max_length=PHONE_LENGTH, blank=True, default="")
    email = models.EmailField(blank=True, default="", help_text="Where appointment requests and alerts are sent.")
    address = models.TextField(max_length=400, blank=True, default="")
    booking_url = models.URLField(blank=True, default="", help_text="The clinic's online booking page.")
    hours = models.TextField(max_length=400, blank=True, default="", help_text="Opening hours, in words.")
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ("id",)

    def __str__(self) -> str:
        return self.name


class Clinician(models.Model):
    """A physiotherapist's account at a clinic; the clinic's admin also adds and removes its clinicians."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clinician")
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="clinicians")
    is_admin = models.BooleanField(default=False, help_text="May add and remove the clinic's clinicians.")
    added_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ("id",)

    def __str__(self) -> str:
        return f"{self.user.get_username()} at {self.clinic}"

    @property
    def name(self) -> str:
        user = self.user
        full = f"{user.first_name} {user.last_name}".strip()
        return full or str(user.get_username())


class LinkStatus(models.TextChoices):
    INVITED = "invited", "invited"
    SHARING = "sharing", "sharing"
    STOPPED = "stopped", "stopped"


class Link(models.Model):
    """A clinician's invitation to a runner and, once the runner accepts, what lets the clinician see them.

    The invitation is a one-time code (sent by e-mail or handed over as a code or link); only its SHA-256 is kept.
    Stopping is the runner's, at any time, and ends the clinician's access at once; the row stays as the record of
    who saw what, when."""

    clinician = models.ForeignKey(Clinician, on_delete=models.CASCADE, related_name="links")
    runner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clinic_links", null=True, blank=True
    )
    invited_email = models.EmailField(blank=True, default="")
    code_hash = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    status = models.CharField(max_length=10, choices=LinkStatus.choices, default=LinkStatus.INVITED)
    created_at = models.DateTimeField(default=now)
    expires_at = models.DateTimeField(help_text="An invitation not accepted by then can no longer be.")
    accepted_at = models.DateTimeField(null=True, blank=True)
    stopped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        constraints = (
            # A runner shares with a clinician through one link at a time.
            models.UniqueConstraint(
                fields=["clinician", "runner"],
                condition=models.Q(status="sharing"),
                name="one_sharing_link_per_clinician_and_runner",
            ),
        )
        indexes = (models.Index(fields=["runner", "status"], name="link_runner_status"),)

    def __str__(self) -> str:
        return f"{self.clinician} - {self.runner or self.invited_email or 'code'} ({self.status})"


class AppointmentRequest(models.Model):
    """A runner's request to the clinic for an appointment, from a referral page: kept, shown to the clinic and
    e-mailed to it. The latest screen comes with it only when the runner ticked to share it."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="appointment_requests")
    runner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, related_name="appointment_requests", null=True
    )
    name = models.CharField(max_length=NAME_LENGTH)
    email = models.EmailField()
    phone = models.CharField(max_length=PHONE_LENGTH, blank=True, default="")
    preferred_times = models.CharField(max_length=400)
    message = models.TextField(max_length=TEXT_LENGTH, blank=True, default="")
    shared_screen = models.ForeignKey(
        "screens.Screen", on_delete=models.SET_NULL, null=True, blank=True, related_name="appointment_requests"
    )
    created_at = models.DateTimeField(default=now, db_index=True)
    emailed = models.BooleanField(default=False, help_text="The clinic's e-mail was sent.")
    # A retried submit (the form's own key, or the API client's) returns the request already stored. NULL, not "",
    # for none: SQLite adds a column that may be NULL in place, where one with a default rewrites the table.
    idempotency_key = models.CharField(max_length=100, null=True, blank=True, editable=False)  # noqa: DJ001

    class Meta:
        ordering = ("-created_at", "-id")
        constraints = (
            models.UniqueConstraint(
                fields=["idempotency_key"],
                condition=models.Q(idempotency_key__isnull=False),
                name="one_appointment_request_per_key",
            ),
        )

    def __str__(self) -> str:
        return f"{self.name} to {self.clinic} on {self.created_at:%Y-%m-%d}"


class Alert(models.Model):
    """Something in a runner's log, morning checks or screens a clinician should see (core.alerts has the rules).

    Raised once per event (``key``); it stays in the runner's record after a clinician acknowledges it with a note.
    Every clinician the runner shares with sees the runner's alerts."""

    runner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clinic_alerts")
    kind = models.CharField(max_length=24, choices=[(kind.value, kind.value) for kind in AlertKind])
    key = models.CharField(max_length=120, help_text="The event it comes from: a session, two mornings, a screen.")
    day = models.DateField()
    message = models.TextField()
    raised_at = models.DateTimeField(default=now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        Clinician, on_delete=models.SET_NULL, null=True, blank=True, related_name="acknowledged_alerts"
    )
    acknowledged_by_name = models.CharField(max_length=NAME_LENGTH * 2, blank=True, default="")
    note = models.TextField(max_length=TEXT_LENGTH, blank=True, default="")

    class Meta:
        ordering = ("-day", "-id")
        constraints = (models.UniqueConstraint(fields=["runner", "kind", "key"], name="one_alert_per_event"),)
        indexes = (models.Index(fields=["runner", "acknowledged_at"], name="alert_runner_open"),)

    def __str__(self) -> str:
        return f"{self.kind} for {self.runner} on {self.day}"

    @property
    def is_open(self) -> bool:
        return self.acknowledged_at is None


class Prescription(models.Model):
    """A clinician's prescription for a runner (core.prescription has what it holds), one current per runner.

    Each change is a new row, dated, and the one before stops being current: the runner's record keeps every
    version. It applies to the runner's plan while its clinician's link is sharing."""

    runner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="prescriptions")
    clinician = models.ForeignKey(
        Clinician, on_delete=models.SET_NULL, null=True, blank=True, related_name="prescriptions"
    )
    clinician_name = models.CharField(max_length=NAME_LENGTH * 2)
    content = models.JSONField(help_text="Sessions per week and the drills, as core.prescription reads them.")
    created_at = models.DateTimeField(default=now)
    current = models.BooleanField(default=True)

    class Meta:
        ordering = ("-created_at", "-id")
        constraints = (
            models.UniqueConstraint(
                fields=["runner"], condition=models.Q(current=True), name="one_current_prescription_per_runner"
            ),
        )

    def __str__(self) -> str:
        return f"Prescription for {self.runner} by {self.clinician_name} on {self.created_at:%Y-%m-%d}"


class Measurement(models.Model):
    """A clinician's own measurement of a screen measure on one side, with the instrument and the position: shown in
    the runner's record beside the runner's screens, marked clinician-measured (core.screen.CLINICIAN_MEASURES)."""

    runner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clinic_measurements")
    clinician = models.ForeignKey(
        Clinician, on_delete=models.SET_NULL, null=True, blank=True, related_name="measurements"
    )
    clinician_name = models.CharField(max_length=NAME_LENGTH * 2)
    measure = models.CharField(max_length=40, help_text="The screen measure's path, e.g. seated_ir_deg.")
    side = models.CharField(max_length=5)
    value = models.FloatField()
    instrument = models.CharField(max_length=20)
    position = models.CharField(max_length=120)
    measured_on = models.DateField()
    note = models.TextField(max_length=TEXT_LENGTH, blank=True, default="")
    recorded_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ("measured_on", "recorded_at", "id")
        indexes = (models.Index(fields=["runner", "measured_on"], name="measurement_runner_day"),)

    def __str__(self) -> str:
        return f"{self.measure} {self.side} {self.value:g} for {self.runner} on {self.measured_on}"


class Clearance(models.Model):
    """A clinician's clearance of a runner's referral or of a hip replacement's precautions (core.clearance): it
    covers what was known when it was recorded, never a red flag reported after it."""

    runner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clinic_clearances")
    clinician = models.ForeignKey(
        Clinician, on_delete=models.SET_NULL, null=True, blank=True, related_name="clearances"
    )
    clinician_name = models.CharField(max_length=NAME_LENGTH * 2)
    kind = models.CharField(max_length=20, choices=[(kind.value, kind.value) for kind in ClearanceKind])
    cleared_on = models.DateField()
    note = models.TextField(max_length=TEXT_LENGTH)
    given_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ("given_at", "id")
        indexes = (models.Index(fields=["runner", "kind", "given_at"], name="clearance_runner_kind"),)

    def __str__(self) -> str:
        return f"{self.kind} cleared for {self.runner} on {self.cleared_on}"

    def to_core(self) -> CoreClearance:
        return CoreClearance(ClearanceKind(self.kind), self.given_at, self.cleared_on, self.clinician_name, self.note)
