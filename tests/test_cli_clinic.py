"""`hipcoach clinic`: the clinic set up from the terminal, its details changed one at a time, and its clinicians."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from typer.testing import CliRunner

from hipcoach.app.clinic.models import Clinic, Clinician
from hipcoach.cli import app

runner = CliRunner()
pytestmark = pytest.mark.django_db


def invoke(*args: str) -> Any:
    return runner.invoke(app, list(args))


def test_the_clinic_is_set_up_and_then_changed_detail_by_detail() -> None:
    made = invoke("clinic", "setup", "--name", "Stride Physio", "--phone", "+44 20 7946 0000", "--hours", "Mon-Fri")
    assert made.exit_code == 0, made.output
    assert "phone: +44 20 7946 0000" in made.stdout
    changed = invoke("clinic", "setup", "--name", "Stride Physio", "--booking-url", "https://stride.example/book")
    assert changed.exit_code == 0, changed.output
    clinic = Clinic.objects.get()
    assert (clinic.phone, clinic.hours, clinic.booking_url) == (
        "+44 20 7946 0000",
        "Mon-Fri",
        "https://stride.example/book",
    )


def test_a_bad_detail_is_named_and_changes_nothing() -> None:
    invoke("clinic", "setup", "--name", "Stride Physio")
    refused = invoke("clinic", "setup", "--name", "Stride Physio", "--booking-url", "book here", "--email", "desk")
    assert refused.exit_code == 2
    assert "--booking-url:" in refused.stderr
    assert "--email:" in refused.stderr
    assert Clinic.objects.get().booking_url == ""


def test_a_clinician_added_from_the_terminal_sets_a_password_and_logs_in() -> None:
    password = "gait-and-glutes-31"
    invoke("clinic", "setup", "--name", "Stride Physio")
    added = invoke("clinic", "add-clinician", "Sam@Stride.example", "--admin")
    assert added.exit_code == 0, added.output
    assert "sam@stride.example is an admin clinician of Stride Physio" in added.stdout
    path = next(word for word in added.stdout.split() if word.startswith("/accounts/password-reset/"))
    client = Client()
    form = client.get(path, follow=True)
    assert form.status_code == 200
    set_password = client.post(form.redirect_chain[-1][0], {"new_password1": password, "new_password2": password})
    assert set_password.status_code == 302
    assert User.objects.get(username="sam@stride.example").check_password(password)
    shown = json.loads(invoke("clinic", "show", "--json").stdout)
    assert shown["clinicians"] == [{"email": "sam@stride.example", "admin": True}]


def test_adding_a_clinician_names_the_problem() -> None:
    nothing = invoke("clinic", "add-clinician", "sam@stride.example")
    assert nothing.exit_code == 2
    assert "no clinic is set up yet" in nothing.stderr
    invoke("clinic", "setup", "--name", "Stride Physio")
    invoke("clinic", "setup", "--name", "Riverside")
    several = invoke("clinic", "add-clinician", "sam@stride.example")
    assert several.exit_code == 2
    assert "--clinic: several clinics" in several.stderr
    assert invoke("clinic", "add-clinician", "sam@stride.example", "--clinic", "Riverside").exit_code == 0
    elsewhere = invoke("clinic", "add-clinician", "sam@stride.example", "--clinic", "Stride Physio")
    assert elsewhere.exit_code == 2
    assert "already a clinician of Riverside" in elsewhere.stderr
    assert invoke("clinic", "add-clinician", "not-an-address", "--clinic", "Riverside").exit_code == 2
    assert Clinician.objects.count() == 1
