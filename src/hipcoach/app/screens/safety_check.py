"""The safety questions every plan needs: asked at least once, on one page, before any session is planned.

The full hip screen stays optional, but the red-flag questions (REFERENCE 6), pain now, a hip replacement and the
age are not: a plan made for someone never asked them could send a runner with a possible stress fracture to
train. A screen holding only these answers (``tests`` empty) counts as answered; a screen that refers still
refers.
"""

from __future__ import annotations

import json
from typing import Any

from hipcoach.app.screens.models import Screen
from hipcoach.app.screens.screens import ScreenOwner, record_screen
from hipcoach.core.screen import ScreenAnswers, parse_answers

# The safety questions are the answers the screen cannot do without: the fields of the answer format with no
# default (``ScreenAnswers``: "safety questions are never assumed answered 'no'"). A safety question added there
# later is asked by the one-page check too.
SAFETY_FIELDS: tuple[str, ...] = tuple(name for name, info in ScreenAnswers.model_fields.items() if info.is_required())

SAFETY_QUESTIONS_NEEDED = (
    "No plan yet: answer the safety questions first (warning signs, signs of low energy availability, pain right "
    "now, a hip replacement, your age). "
    "They take a minute, once; the full hip screen stays optional."
)
# The safety answers alone, all answered "no": the example each door's message gives (the API's 409, the terminal's
# --safety FILE), and what the tests store for a runner who answered them. Copy it before changing it.
SAFETY_EXAMPLE: dict[str, Any] = {"age": 35, "red_flags": [], "pain_now": 0, "hip_replacement": None, "low_energy": []}
SAFETY_EXAMPLE_JSON = json.dumps(SAFETY_EXAMPLE)


class SafetyQuestionsUnansweredError(LookupError):
    """The runner never answered the safety questions: nothing is planned for them until they do.

    ``message`` is what every door says; each door adds how to answer there (the page, the API's screen endpoint,
    ``hipcoach screen --safety-only`` or ``--safety FILE``).
    """

    def __init__(self, message: str = SAFETY_QUESTIONS_NEEDED) -> None:
        self.message = message
        super().__init__(message)


def record_safety_answers(data: Any, owner: ScreenOwner) -> Screen:
    """Validate the safety answers like any screen's (``ScreenInputError`` naming each field, nothing stored) and
    store them as a screen of ``owner``: from then on plans are made for them (or the referral shown)."""
    answers = parse_answers(data)
    screen, _ = record_screen(answers, owner)
    return screen
