"""Linking a runner to a clinician: the invitation (by e-mail, code or link), the runner's acceptance of exactly what
is shared, and the runner's stop, which ends the clinician's access at once.

Every clinician read of a runner goes through :func:`shared_runner` (or :func:`runners_of`): a link the runner
accepted and has not stopped, with one of that clinician's own links. Nothing else lets a clinician see a runner.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from hipcoach.app.accounts.accounts import EMAIL_MAX_LENGTH, Runner, is_reserved_email, normalise_email
from hipcoach.app.clinic.models import Clinic, Clinician, Link, LinkStatus
from hipcoach.app.clock import now

# What the runner shares, in the words they read before accepting; the clinician's pages show no more than this.
SHARED = (
    "your screens and their results, each side",
    "your settings: your usual week of runs, equipment and session minutes",
    "your plan: the week hipcoach plans around your runs",
    "your sessions: what you did, how hard it felt and the pain you reported",
    "your morning checks after sessions",
)
INVITATION_DAYS = 14
# A code a person can read out or type: ten letters and digits from an alphabet without look-alikes (0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10


class SharingError(ValueError):
    """An invitation or a stop that cannot be taken; the message names the field and what is allowed."""


@dataclass(frozen=True)
class Invitation:
    link: Link
    code: str  # shown once, to the clinician; only its hash is stored


def clinician_of(user: object) -> Clinician | None:
    """The clinician account of a signed-in user, or ``None`` for a runner (or anyone not signed in)."""
    if not isinstance(user, get_user_model()) or not user.is_authenticated:
        return None
    return Clinician.objects.select_related("clinic", "user").filter(user=user).first()


def normalise_code(code: str) -> str:
    return "".join(character for character in code.upper() if character.isalnum())


def hash_code(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def readable(code: str) -> str:
    """ABCDE-FGHJK: the code in two halves, easier to read out and to type."""
    return f"{code[:5]}-{code[5:]}"


def invite(clinician: Clinician, email: str = "") -> Invitation:
    """A one-time invitation from the clinician, for the runner of that e-mail (or whoever is handed the code)."""
    address = normalise_email(email) if email else ""
    if address:
        email_problem = invitation_email_problem(address)
        if email_problem:
            raise SharingError(f"email: {email_problem}")
    if address and address == normalise_email(str(clinician.user.get_username())):
        raise SharingError("email: that is your own address; invite a runner")
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    link = Link.objects.create(
        clinician=clinician,
        invited_email=address,
        code_hash=hash_code(code),
        expires_at=now() + timedelta(days=INVITATION_DAYS),
    )
    return Invitation(link, readable(code))


def invitation_email_problem(address: str, whose: str = "the runner") -> str | None:
    """What is wrong with an address to send an invitation to (``whose``: the runner's, or a new clinician's), or
    ``None``."""
    if len(address) > EMAIL_MAX_LENGTH:
        return f"an e-mail address of at most {EMAIL_MAX_LENGTH} characters"
    try:
        validate_email(address)
    except ValidationError:
        return f"'{address}' is not an e-mail address (like runner@example.org)"
    if is_reserved_email(address):
        return f"no mail reaches '{address}'; give {whose}'s own address"
    return None


def open_invitations(clinician: Clinician) -> list[Link]:
    """The clinician's invitations that can still be accepted, newest first."""
    return list(
        Link.objects.filter(
            clinician=clinician, status=LinkStatus.INVITED, code_hash__isnull=False, expires_at__gt=now()
        ).order_by("-created_at", "-id")
    )


def withdraw(clinician: Clinician, link_id: int) -> Link:
    """The clinician takes back an invitation not yet accepted: its code no longer works. Withdrawing one already
    withdrawn changes nothing; a link a runner accepted is the runner's to stop, not the clinician's."""
    with transaction.atomic():
        link = Link.objects.select_for_update().filter(pk=link_id, clinician=clinician, runner__isnull=True).first()
        if link is None:
            raise SharingError(f"invitation: you have no open invitation {link_id}")
        if link.status == LinkStatus.INVITED:
            link.status = LinkStatus.STOPPED
            link.code_hash = None
            link.stopped_at = now()
            link.save(update_fields=["status", "code_hash", "stopped_at"])
        return link


def invitation(code: str) -> Link | None:
    """The open invitation of that code: not yet accepted and not expired."""
    if not normalise_code(code):
        return None
    return (
        Link.objects.select_related("clinician__clinic", "clinician__user")
        .filter(code_hash=hash_code(code), status=LinkStatus.INVITED, expires_at__gt=now())
        .first()
    )


def accept(runner: Runner, code: str) -> Link:
    """The runner accepts the invitation: from now on its clinician sees what :data:`SHARED` lists.

    A code works once. The runner who accepted it may send it again (a double tap, a retry after the network
    dropped): that returns their link and changes nothing. Accepting a second invitation from a clinician the runner
    already shares with keeps the one link (and uses up the code)."""
    with transaction.atomic():
        offered = invitation(code)
        if offered is None:
            retried = accepted_by(runner, code)
            if retried is not None:
                return retried
            raise SharingError("code: no open invitation has this code; ask your clinician for a new one")
        link = Link.objects.select_for_update().get(pk=offered.pk)
        if link.status != LinkStatus.INVITED:  # accepted (or withdrawn) while this waited for the row
            retried = accepted_by(runner, code)
            if retried is not None:
                return retried
            raise SharingError("code: this invitation has been used; ask your clinician for a new one")
        if link.clinician.user_id == runner.pk:
            raise SharingError("code: this is your own invitation; give it to a runner")
        existing = Link.objects.filter(clinician=link.clinician, runner=runner, status=LinkStatus.SHARING).first()
        link.code_hash = None
        if existing is not None:
            link.status = LinkStatus.STOPPED
            link.stopped_at = now()
            link.save(update_fields=["code_hash", "status", "stopped_at"])
            return existing
        # The accepted link keeps the code's hash, for this runner's retry alone (accepted_by); it opens nothing else.
        link.code_hash = hash_code(code)
        link.runner = runner
        link.status = LinkStatus.SHARING
        link.accepted_at = now()
        try:
            with transaction.atomic():
                link.save(update_fields=["code_hash", "runner", "status", "accepted_at"])
        except IntegrityError:  # the same runner accepted another of this clinician's codes at the same moment
            return Link.objects.get(clinician=link.clinician, runner=runner, status=LinkStatus.SHARING)
        return link


def accepted_by(runner: Runner, code: str) -> Link | None:
    """The link this runner shares through now, when it was this code that made it."""
    if not normalise_code(code):
        return None
    return (
        Link.objects.select_related("clinician__clinic", "clinician__user")
        .filter(code_hash=hash_code(code), runner=runner, status=LinkStatus.SHARING)
        .first()
    )


def stop_sharing(runner: Runner, link_id: int) -> Link:
    """The runner stops sharing through that link; from this moment its clinician sees nothing more. Stopping a
    link already stopped changes nothing."""
    with transaction.atomic():
        link = Link.objects.select_for_update().filter(pk=link_id, runner=runner).first()
        if link is None:
            raise SharingError(f"link: you have no link {link_id}; your links are listed in your settings")
        if link.status == LinkStatus.SHARING:
            link.status = LinkStatus.STOPPED
            link.stopped_at = now()
            link.save(update_fields=["status", "stopped_at"])
        return link


def sharing_links(runner: Runner) -> list[Link]:
    """The runner's links, sharing ones first, each with its clinician and clinic."""
    links = Link.objects.select_related("clinician__clinic", "clinician__user").filter(runner=runner)
    return sorted(links, key=lambda link: (link.status != LinkStatus.SHARING, -link.pk))


def runners_of(clinician: Clinician) -> list[Runner]:
    """The runners who share with this clinician now."""
    users = (
        get_user_model()
        .objects.filter(clinic_links__clinician=clinician, clinic_links__status=LinkStatus.SHARING)
        .order_by("email", "id")
    )
    return list(users)


def shared_runner(clinician: Clinician, runner_id: int) -> Runner | None:
    """The runner, when they share with this clinician now; else ``None`` (a door answers 404, never 403, so a
    clinician cannot tell a runner who does not share from one who does not exist)."""
    return (
        get_user_model()
        .objects.filter(pk=runner_id, clinic_links__clinician=clinician, clinic_links__status=LinkStatus.SHARING)
        .first()
    )


def clinic_for(runner: Runner | None) -> Clinic | None:
    """The clinic a referral points to: the runner's own (the clinic of a clinician they share with), else the clinic
    this hipcoach was set up for (the first), else none."""
    if runner is not None and runner.is_authenticated:
        link = (
            Link.objects.select_related("clinician__clinic")
            .filter(runner=runner, status=LinkStatus.SHARING)
            .order_by("-accepted_at", "-id")
            .first()
        )
        if link is not None:
            return link.clinician.clinic
    return Clinic.objects.order_by("id").first()
