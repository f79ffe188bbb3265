"""What a use case tells the rest of hipcoach after a runner's write has been stored: a session logged, a morning
check answered, a screen saved. The clinic listens (its alerts); the training and screens apps know nothing of who
listens.

Sent after the write's transaction block, never for a retry that stored nothing. A listener that fails is logged and
does not undo or refuse the runner's write (``send_robust``)."""

from __future__ import annotations

import logging
from typing import Any

from django.dispatch import Signal

session_logged = Signal()  # log: the SessionLog just stored
morning_answered = Signal()  # log: the SessionLog whose morning check was just answered
screen_recorded = Signal()  # screen: the Screen just stored, of a runner with an account

logger = logging.getLogger("hipcoach.events")


def tell(signal: Signal, **details: Any) -> None:
    for receiver, outcome in signal.send_robust(sender=None, **details):
        if isinstance(outcome, Exception):
            logger.error("a listener failed after a stored write: %r", receiver, exc_info=outcome)
