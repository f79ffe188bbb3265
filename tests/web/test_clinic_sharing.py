"""Linking a runner to a clinician: an invitation works once and for a while, the runner accepts exactly what is
listed, and stopping ends the clinician's sight of the runner at once."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User

from hipcoach.app.clinic.models import Link, LinkStatus
from hipcoach.app.clinic.sharing import (
    SharingError,
    accept,
    clinic_for,
    clinician_of,
    invitation,
    invite,
    runners_of,
    shared_runner,
    sharing_links,
    stop_sharing,
)
from hipcoach.core import clock


def test_a_runner_who_accepts_an_invitation_is_seen_by_that_clinician_only(
    alice: User, bob: User, sam: Any, kim: Any, lee: Any
) -> None:
    sent = invite(sam, alice.email)
    assert len(sent.code) == 11  # ABCDE-FGHJK
    assert shared_runner(sam, alice.pk) is None  # invited is not sharing
    link = accept(alice, sent.code)
    assert link.status == LinkStatus.SHARING
    assert shared_runner(sam, alice.pk) == alice
    assert runners_of(sam) == [alice]
    # Not another clinician of the same clinic, not a clinician of another clinic, and not another runner.
    assert shared_runner(kim, alice.pk) is None
    assert shared_runner(lee, alice.pk) is None
    assert shared_runner(sam, bob.pk) is None


def test_the_code_is_kept_only_as_its_hash_and_works_once(alice: User, bob: User, sam: Any) -> None:
    sent = invite(sam)
    stored = Link.objects.get(pk=sent.link.pk)
    assert sent.code.replace("-", "") not in (stored.code_hash or "")
    accept(alice, sent.code.lower().replace("-", " "))  # read out and typed in any case, with any gaps
    with pytest.raises(SharingError, match=r"^code: "):
        accept(bob, sent.code)
    assert shared_runner(sam, bob.pk) is None


def test_an_invitation_left_too_long_cannot_be_accepted(alice: User, sam: Any, freeze_clock: Any) -> None:
    sent = invite(sam, alice.email)
    freeze_clock(clock.now() + timedelta(days=15))
    assert invitation(sent.code) is None
    with pytest.raises(SharingError, match="no open invitation"):
        accept(alice, sent.code)


def test_accepting_again_keeps_one_link(alice: User, sam: Any) -> None:
    first = accept(alice, invite(sam).code)
    second = accept(alice, invite(sam).code)
    assert first.pk == second.pk
    assert Link.objects.filter(runner=alice, status=LinkStatus.SHARING).count() == 1


def test_a_clinician_cannot_accept_their_own_invitation(sam: Any) -> None:
    with pytest.raises(SharingError, match="your own invitation"):
        accept(sam.user, invite(sam).code)
    with pytest.raises(SharingError, match=r"^email: "):
        invite(sam, sam.user.email)


def test_stopping_ends_the_clinicians_access_at_once_and_twice_changes_nothing(
    alice: User, bob: User, sam: Any, alice_shares_with_sam: Link
) -> None:
    stopped = stop_sharing(alice, alice_shares_with_sam.pk)
    assert stopped.status == LinkStatus.STOPPED
    assert shared_runner(sam, alice.pk) is None
    assert runners_of(sam) == []
    when = stopped.stopped_at
    assert stop_sharing(alice, alice_shares_with_sam.pk).stopped_at == when
    with pytest.raises(SharingError, match=r"^link: "):
        stop_sharing(bob, alice_shares_with_sam.pk)  # only the runner stops their own link
    assert [link.status for link in sharing_links(alice)] == [LinkStatus.STOPPED]


def test_a_referral_points_to_the_runners_own_clinic_else_the_first_set_up(
    alice: User, bob: User, clinic: Any, lee: Any
) -> None:
    accept(alice, invite(lee).code)
    assert clinic_for(alice) == lee.clinic
    assert clinic_for(bob) == clinic
    assert clinic_for(None) == clinic


@pytest.mark.django_db
def test_with_no_clinic_set_up_a_referral_points_to_none() -> None:
    assert clinic_for(None) is None


def test_only_a_clinicians_account_is_a_clinician(alice: User, sam: Any) -> None:
    assert clinician_of(sam.user) == sam
    assert clinician_of(alice) is None
