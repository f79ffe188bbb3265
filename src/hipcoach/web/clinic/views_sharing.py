"""Sharing, from both sides: the clinician's invitations (/clinic/invite/), the runner's acceptance of exactly what is
shared (/sharing/accept/), the runner's link and its stop (/sharing/<id>/), which ends the clinician's sight at once.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.mail import send_mail
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from hipcoach.app.clinic.models import Clinician, Link, LinkStatus
from hipcoach.app.clinic.sharing import (
    INVITATION_DAYS,
    SHARED,
    Invitation,
    SharingError,
    accept,
    accepted_by,
    invitation,
    invite,
    open_invitations,
    sharing_links,
    stop_sharing,
    withdraw,
)
from hipcoach.web.clinic.access import clinician_required
from hipcoach.web.clinic.forms import CodeForm, InviteForm
from hipcoach.web.limits import MAX_ID
from hipcoach.web.runner import runner_of

logger = logging.getLogger(__name__)


def accept_path(code: str) -> str:
    """The one-time link of an invitation: the accept page with its code."""
    return f"{reverse('clinic:accept')}?{urlencode({'code': code})}"


def accept_url(request: HttpRequest, code: str) -> str:
    return request.build_absolute_uri(accept_path(code))


def problem_of(error: SharingError) -> tuple[str, str]:
    """("code", "code: no open invitation ...") from a SharingError's "field: ..." message."""
    message = str(error)
    field = message.split(":", 1)[0] if ":" in message else ""
    return field, message


def send_invitation(request: HttpRequest, sent: Invitation) -> bool:
    """The invitation e-mailed to the runner: the one-time link and the code. False when no mail could be sent."""
    clinician = sent.link.clinician
    context = {
        "clinician": clinician.name,
        "clinic": clinician.clinic.name,
        "code": sent.code,
        "accept_url": accept_url(request, sent.code),
        "shared": SHARED,
        "expires_at": sent.link.expires_at,
    }
    subject = render_to_string("clinic/invitation_subject.txt", context).strip()
    body = render_to_string("clinic/invitation_email.txt", context)
    try:
        send_mail(subject, body, None, [sent.link.invited_email])
    except Exception:  # the invitation stands; the page shows the code to hand over instead
        logger.exception("The invitation e-mail to %s could not be sent.", sent.link.invited_email)
        return False
    return True


# ---- the clinician's side -------------------------------------------------------------------------------------


@clinician_required
@never_cache
@require_http_methods(["GET", "POST"])
def invite_page(request: HttpRequest, clinician: Clinician) -> HttpResponse:
    """GET: the two ways to invite and the open invitations. POST ``how=email`` e-mails a one-time link to the
    runner; ``how=code`` makes a code to hand over, shown on this answer only (only its hash is kept)."""
    form = InviteForm()
    made: dict[str, Any] | None = None
    status = 200
    if request.method == "POST":
        form, made = _invitation_made(request, clinician)
        status = 200 if made is not None else 400
    context = {
        "clinic": clinician.clinic,
        "me": clinician,
        "form": form,
        "made": made,
        "invitations": open_invitations(clinician),
        "days": INVITATION_DAYS,
    }
    return render(request, "clinic/invite.html", context, status=status)


def _invitation_made(request: HttpRequest, clinician: Clinician) -> tuple[InviteForm, dict[str, Any] | None]:
    """The form to show next and what was made: the invitation by e-mail or as a code, or ``None`` with the form's
    problems named."""
    how = request.POST.get("how", "")
    form = InviteForm(request.POST) if how == "email" else InviteForm()
    if how not in {"email", "code"}:
        form.add_error(None, "how: choose to send an e-mail or to make a code")
        return form, None
    if how == "email" and not form.is_valid():
        return form, None
    email = form.cleaned_data["email"] if how == "email" else ""
    try:
        sent = invite(clinician, email)
    except SharingError as error:
        field, message = problem_of(error)
        form.add_error("email" if field == "email" else None, message)
        return form, None
    made = {
        "code": sent.code,
        "url": accept_url(request, sent.code),
        "email": email,
        "mailed": send_invitation(request, sent) if email else False,
        "expires_at": sent.link.expires_at,
    }
    return InviteForm(), made


@clinician_required
@require_POST
def withdraw_invitation(request: HttpRequest, clinician: Clinician, link_id: int) -> HttpResponse:
    try:
        if link_id > MAX_ID:
            raise SharingError("invitation: no such id")
        link = withdraw(clinician, link_id)
    except SharingError:
        raise Http404("No open invitation of yours with this id.") from None
    who = link.invited_email or "the code"
    messages.success(request, f"Invitation for {who} withdrawn: its code and link no longer work.")
    return redirect("clinic:invite")


# ---- the runner's side ----------------------------------------------------------------------------------------


def _offer_problem(request: HttpRequest, offered: Link | None) -> str | None:
    if offered is None:
        return (
            f"code: no open invitation has this code: it may be mistyped, used already or older than "
            f"{INVITATION_DAYS} days. Check it, or ask your clinician for a new one."
        )
    if offered.clinician.user_id == request.user.pk:
        return "code: this is your own invitation; give it to a runner"
    return None


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def accept_page(request: HttpRequest) -> HttpResponse:
    """GET without a code: the form to type one. GET with ``?code=``: the clinic, the clinician and exactly what will
    be shared, with Accept and Not now. POST (the Accept button) links the runner, once, however often it is sent."""
    if request.method == "GET" and "code" not in request.GET:
        return render(request, "clinic/accept_code.html", {"form": CodeForm()})
    data = request.POST if request.method == "POST" else request.GET
    form = CodeForm({"code": data.get("code", "")})
    if not form.is_valid():
        return render(request, "clinic/accept_code.html", {"form": form}, status=400)
    if request.method == "POST":
        return _accept(request, form)
    return _offer(request, form)


def _accept(request: HttpRequest, form: CodeForm) -> HttpResponse:
    try:
        link = accept(runner_of(request), form.cleaned_data["code"])
    except SharingError as error:
        form.add_error("code", problem_of(error)[1])
        return render(request, "clinic/accept_code.html", {"form": form}, status=400)
    return redirect("clinic:shared", link_id=link.pk)


def _offer(request: HttpRequest, form: CodeForm) -> HttpResponse:
    accepted = accepted_by(runner_of(request), form.cleaned_data["code"])
    if accepted is not None:  # the e-mailed link opened again after accepting: where the runner stands
        return redirect("clinic:shared", link_id=accepted.pk)
    offered = invitation(form.cleaned_data["code"])
    problem = _offer_problem(request, offered)
    if offered is None or problem is not None:
        form.add_error("code", problem or "code: no open invitation has this code")
        return render(request, "clinic/accept_code.html", {"form": form}, status=400)
    runner = runner_of(request)
    already = Link.objects.filter(clinician=offered.clinician, runner=runner, status=LinkStatus.SHARING).exists()
    context = {
        "code": form.cleaned_data["code"],
        "clinician": offered.clinician,
        "clinic": offered.clinician.clinic,
        "shared": SHARED,
        "already": already,
    }
    return render(request, "clinic/accept.html", context)


def _own_link(request: HttpRequest, link_id: int) -> Link:
    for link in sharing_links(runner_of(request)):
        if link.pk == link_id:
            return link
    raise Http404("No link of yours with this id.")


@login_required
@never_cache
@require_http_methods(["GET"])
def shared_page(request: HttpRequest, link_id: int) -> HttpResponse:
    """One of the runner's links: who sees what since when, and the button that stops it."""
    link = _own_link(request, link_id)
    return render(request, "clinic/shared.html", {"link": link, "shared": SHARED})


@require_POST
def stop_page(request: HttpRequest, link_id: int) -> HttpResponse:
    """Stop sharing through this link, at once: the clinician's next page of this runner is a 404."""
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("training:settings"))
    try:
        if link_id > MAX_ID:
            raise SharingError("link: no such id")
        link = stop_sharing(runner_of(request), link_id)
    except SharingError:
        raise Http404("No link of yours with this id.") from None
    clinician = link.clinician
    messages.success(
        request,
        f"You stopped sharing with {clinician.name} ({clinician.clinic.name}). From now on they see nothing of yours.",
    )
    return redirect(f"{reverse('training:settings')}#sharing")
