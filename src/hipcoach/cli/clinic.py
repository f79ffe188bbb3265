"""`hipcoach clinic`: set up the clinic (its name and how runners reach it) and add its clinicians."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from hipcoach.cli import app, console, fail, print_json
from hipcoach.cli.runner import database_ready

if TYPE_CHECKING:
    from hipcoach.app.clinic.models import Clinic

clinic_app = typer.Typer(help="The clinic: its details, shown on every referral page, and its clinicians.")
app.add_typer(clinic_app, name="clinic")

ClinicOption = Annotated[
    str | None, typer.Option("--clinic", help="The clinic's name. Default: the only clinic set up.")
]


@clinic_app.command("setup")
def setup(
    name: Annotated[str, typer.Option("--name", help="The clinic's name, as runners know it")],
    phone: Annotated[str | None, typer.Option(help="The phone number runners call")] = None,
    email: Annotated[str | None, typer.Option(help="Where appointment requests and alerts are sent")] = None,
    address: Annotated[str | None, typer.Option(help="The clinic's address")] = None,
    booking_url: Annotated[str | None, typer.Option("--booking-url", help="The online booking page")] = None,
    hours: Annotated[str | None, typer.Option(help='Opening hours, in words ("Mon-Fri 8:00-19:00")')] = None,
) -> None:
    """Create the clinic, or change its details (only those given change)."""
    database_ready()
    from hipcoach.app.clinic.clinics import ClinicError, set_up_clinic

    given = {"phone": phone, "email": email, "address": address, "booking_url": booking_url, "hours": hours}
    try:
        clinic = set_up_clinic(name, **{field: value for field, value in given.items() if value is not None})
    except ClinicError as error:
        fail([f"--{problem.replace('booking_url', 'booking-url', 1)}" for problem in error.problems])
    console.print(f"The clinic: {escape(clinic.name)}", highlight=False)
    print_clinic(clinic)


@clinic_app.command("add-clinician")
def add_clinician(
    email: Annotated[str, typer.Argument(help="The clinician's e-mail: their login")],
    clinic_name: ClinicOption = None,
    admin: Annotated[bool, typer.Option("--admin", help="May add and remove the clinic's clinicians")] = False,
) -> None:
    """Make that account a clinician of the clinic (a new account when there is none), and say where they set
    their password."""
    database_ready()
    from hipcoach.app.clinic.clinics import ClinicError
    from hipcoach.app.clinic.clinics import add_clinician as make_clinician

    clinic = chosen_clinic(clinic_name)
    try:
        added = make_clinician(clinic, email, admin=admin)
    except ClinicError as error:
        fail(error.problems)
    who = escape(str(added.clinician.user.get_username()))
    role = "an admin clinician" if added.clinician.is_admin else "a clinician"
    console.print(f"{who} is {role} of {escape(clinic.name)}.", highlight=False)
    if added.created:
        console.print(
            f"A new account: they set their password at {added.password_path} on this server (the link works once).",
            highlight=False,
        )
    console.print("They log in like a runner and land on the clinic's dashboard (/clinic/).", highlight=False)


@clinic_app.command("show")
def show(
    clinic_name: ClinicOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON, for scripts")] = False,
) -> None:
    """The clinic's details and its clinicians."""
    database_ready()
    clinic = chosen_clinic(clinic_name)
    if as_json:
        from hipcoach.app.clinic.clinics import clinic_data

        print_json(clinic_data(clinic))
        return
    console.print(escape(clinic.name), highlight=False)
    print_clinic(clinic)
    for clinician in clinic.clinicians.select_related("user"):
        role = " (admin)" if clinician.is_admin else ""
        console.print(f"  clinician: {escape(str(clinician.user.get_username()))}{role}", highlight=False)


def print_clinic(clinic: Clinic) -> None:
    for label, value in [
        ("phone", clinic.phone), ("e-mail", clinic.email), ("address", clinic.address),
        ("booking", clinic.booking_url), ("hours", clinic.hours),
    ]:  # fmt: skip
        console.print(f"  {label}: {escape(value) or '-'}", highlight=False)


def chosen_clinic(name: str | None) -> Clinic:
    from hipcoach.app.clinic.models import Clinic

    clinics = list(Clinic.objects.order_by("id"))
    if name is not None:
        found = [clinic for clinic in clinics if clinic.name == name.strip()]
        if not found:
            names = ", ".join(clinic.name for clinic in clinics) or "none yet"
            fail([f"--clinic: no clinic named '{escape(name)}'; the clinics: {escape(names)}"])
        return found[0]
    if not clinics:
        fail(["no clinic is set up yet: run `hipcoach clinic setup --name NAME` first"])
    if len(clinics) > 1:
        fail([f"--clinic: several clinics are set up; name one of: {escape(', '.join(c.name for c in clinics))}"])
    return clinics[0]
