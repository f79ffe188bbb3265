"""Sign up, log in, log out, password reset (Django's views, our templates) and the API tokens page."""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

from axes.helpers import get_client_username, get_cool_off
from axes.utils import reset as reset_lockouts
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hipcoach.app.accounts.accounts import issue_token, revoke_token
from hipcoach.app.accounts.models import ApiToken
from hipcoach.app.training.runner_settings import set_time_zone_if_unset
from hipcoach.web.accounts.forms import ConfirmSignUpForm, EmailLoginForm, SignUpForm, TokenForm
from hipcoach.web.accounts.login import sign_in
from hipcoach.web.accounts.ratelimits import Refusal, password_reset_refusal, signup_refusal
from hipcoach.web.accounts.signup import (
    PENDING_SIGNUP,
    confirm,
    register,
    remember_in_browser,
    send_signup_email,
    signed_up_in_this_browser,
    user_from_link,
)
from hipcoach.web.runner import runner_of

AFTER_LOGIN = "/"
AFTER_SIGNUP = "/welcome/"  # a new runner's first steps: the screen, then their usual week


def safe_next(request: HttpRequest, default: str = AFTER_LOGIN) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure())
    return target if allowed else default


@sensitive_post_parameters("password1", "password2")
@never_cache
@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """A new account from an e-mail and a password, finished from a link e-mailed to that address.

    The answer is the same whether or not the address has an account (accounts.signup): the owner of one is told by
    e-mail that someone tried, so a stranger cannot learn from this form who uses hipcoach.
    """
    if request.user.is_authenticated:
        return redirect(AFTER_LOGIN)
    if request.method == "POST" and (refusal := signup_refusal(request)) is not None:
        return rate_limited(request, refusal)
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        attempt = register(email, form.cleaned_data["password1"])
        if attempt.new:
            # The browser proposes its time zone (static/hipcoach/time_zone.js); Settings can change it. An
            # existing account is left exactly as it was.
            set_time_zone_if_unset(attempt.user, request.POST.get("time_zone", ""))
        send_signup_email(request, attempt)
        remember_in_browser(request, email, attempt, safe_next(request, AFTER_SIGNUP))
        return redirect("accounts:signup-sent")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "next": safe_next(request, AFTER_SIGNUP)}
    return render(request, "accounts/signup.html", context, status=status)


@never_cache
@require_GET
def signup_sent(request: HttpRequest) -> HttpResponse:
    """After the sign-up form, for every address alike: the link is in the mailbox."""
    email = (request.session.get(PENDING_SIGNUP) or {}).get("email", "")
    return render(request, "accounts/signup_sent.html", {"email": email})


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def signup_confirm(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The e-mailed link: a button to finish (a GET changes nothing, so a mail scanner's visit uses no link up), then
    the account opens and the runner is logged in. In another browser than the one that signed up, the password
    chosen at sign-up is asked too: whoever holds the mailbox but did not sign up cannot open an account whose
    password a stranger chose."""
    user = user_from_link(uidb64, token)
    if user is None:
        return render(request, "accounts/signup_confirm.html", {"validlink": False}, status=400)
    here = signed_up_in_this_browser(request, user)
    form = ConfirmSignUpForm(user, request.POST if request.method == "POST" and not here else None)
    if request.method == "POST" and (here or form.is_valid()):
        next_url = (request.session.pop(PENDING_SIGNUP, None) or {}).get("next", AFTER_SIGNUP) if here else ""
        confirm(user)
        sign_in(request, user)
        allowed = url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure())
        return redirect(next_url if next_url and allowed else AFTER_SIGNUP)
    context = {"validlink": True, "email": user.get_username(), "form": None if here else form}
    return render(request, "accounts/signup_confirm.html", context, status=400 if request.method == "POST" else 200)


class LoginView(auth_views.LoginView):
    """Django's login view (axes counts its failures), moving the browser's anonymous screens on success."""

    form_class = EmailLoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        sign_in(self.request, form.get_user())
        return HttpResponseRedirect(self.get_success_url())


class LogoutView(auth_views.LogoutView):
    """POST only (Django 5): a link cannot log a runner out."""

    next_page = reverse_lazy("library:home")  # type: ignore[assignment]  # lazy: Django resolves it


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-done")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        refusal = password_reset_refusal(request)
        if refusal is not None:
            return rate_limited(request, refusal)
        return super().post(request, *args, **kwargs)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")

    def form_valid(self, form: SetPasswordForm[Any]) -> HttpResponse:
        response = super().form_valid(form)
        # The runner proved they hold the e-mail address: a lockout from guessing ends with the new password.
        reset_lockouts(username=form.user.get_username())
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    """Settings → API tokens: create one (shown once, on this response only) and see the others."""
    form = TokenForm(request.POST or None)
    new_token = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            _, new_token = issue_token(runner_of(request), form.cleaned_data["name"])
            form = TokenForm()
        else:
            status = 400
    context = {"form": form, "new_token": new_token, "tokens": ApiToken.objects.filter(owner=runner_of(request))}
    return render(request, "accounts/tokens.html", context, status=status)


@login_required
@require_POST
def revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    """Revoke one of the runner's tokens; another runner's token id is a 404, like an unknown one."""
    record = get_object_or_404(ApiToken.objects.filter(owner=runner_of(request)), pk=token_id)
    revoke_token(record)
    return redirect("accounts:tokens")


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict[str, Any] | None = None
) -> HttpResponse:
    """The page axes shows once a login has failed too often (settings.AXES_LOCKOUT_CALLABLE)."""
    cool_off = get_cool_off(request)
    context = {
        "username": get_client_username(request, credentials) or "",
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cool_off": duration_words(cool_off) if cool_off else "",
    }
    return render(request, "accounts/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)


def rate_limited(request: HttpRequest, refusal: Refusal) -> HttpResponse:
    """429 for a sign-up or password reset over its rate limit (accounts.ratelimits): nothing was done."""
    context = {
        "limit": refusal.limit,
        "period": period_words(refusal.period),
        "wait": wait_words(refusal.retry_after),
    }
    response = render(request, "accounts/rate_limited.html", context, status=429)
    response["Retry-After"] = str(refusal.retry_after)
    add_never_cache_headers(response)
    return response


PERIOD_UNITS = (("day", 24 * 3600), ("hour", 3600), ("minute", 60), ("second", 1))


def period_words(seconds: int) -> str:
    """A rate's period as "in the last …" reads it: "hour", "15 minutes", "day"."""
    for unit, size in PERIOD_UNITS:
        if seconds % size == 0:
            count = seconds // size
            return unit if count == 1 else f"{count} {unit}s"
    return f"{seconds} seconds"


def wait_words(seconds: int) -> str:
    """How long until a limit lets requests through again: "40 minutes", "about 3 hours"."""
    minutes = max(1, math.ceil(seconds / 60))
    if minutes < 60:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    hours = round(minutes / 60)
    return f"about {hours} hour{'s' if hours != 1 else ''}"


def duration_words(duration: timedelta) -> str:
    minutes = round(duration.total_seconds() / 60)
    if minutes % 60 == 0:
        hours = minutes // 60
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{minutes} minute{'s' if minutes != 1 else ''}"
