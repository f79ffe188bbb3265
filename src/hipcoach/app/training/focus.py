"""The runner's focus, in plain words, from their latest screen: what it found, on which side, and the work that
answers it ("right tight hip flexors; half-kneeling hip flexor stretch; glute activation")."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from hipcoach.core.catalogue import Catalogue, default_catalogue
from hipcoach.core.planner.rules import MUST_HAVE_OF, is_hip_flexor_release
from hipcoach.core.profile import Finding, Profile
from hipcoach.core.screen import plain_name
from hipcoach.core.vocabulary import Restriction, Side

# Today says the heaviest few findings: the screen result has them all.
FOCUS_FINDINGS = 3
# The article, Bum Activation: "Following hip flexor release work, proper glute activation becomes a natural next
# step" (the planner's GLUTE_AFTER_RELEASE rule): a focus with hip flexor release work names glute activation too.
GLUTE_ACTIVATION = "glute activation"


@dataclass(frozen=True)
class Focus:
    """What the sessions work on: the findings (``findings``: none when the screen found no restriction) and the
    drills that answer them (``work``)."""

    findings: list[str]
    work: list[str]
    more: int = 0  # findings beyond the first FOCUS_FINDINGS, told as a count

    @property
    def words(self) -> str:
        return "; ".join([*self.findings, *self.work])


def _by_restriction(findings: Sequence[Finding]) -> list[tuple[Restriction, list[Finding]]]:
    """The findings grouped by restriction, the most marked first (the screen's order among equals)."""
    groups: dict[Restriction, list[Finding]] = {}
    for finding in findings:
        groups.setdefault(finding.id, []).append(finding)
    return sorted(groups.items(), key=lambda group: -max(finding.severity for finding in group[1]))


def _finding_words(restriction: Restriction, findings: Sequence[Finding], profile: Profile) -> str:
    name = plain_name(restriction)
    sides = {finding.side for finding in findings}
    if sides == {Side.LEFT, Side.RIGHT}:
        # REFERENCE 2: a side gets more work only where the left/right difference is real (Profile.emphasis).
        more = [emphasis.side.value for emphasis in profile.emphasis if emphasis.id is restriction]
        return f"{name} on both sides, more on the {more[0]}" if more else f"{name} on both sides"
    if len(sides) == 1 and Side.BOTH not in sides:
        # As the screen says a side: "left tight hip flexors".
        return f"{next(iter(sides)).value} {name}"
    return name


def _work_for(restrictions: Sequence[Restriction], catalogue: Catalogue) -> list[str]:
    """The must-have drills of the findings (planner rules, MUST_HAVES, each with its source), then glute
    activation after any hip flexor release among them."""
    work: list[str] = []
    release = False
    for restriction in restrictions:
        row = MUST_HAVE_OF.get(restriction)
        if row is None:
            continue
        drills = [catalogue.get(drill_id) for drill_id in row.tiers[0] if drill_id in catalogue]
        names = " or ".join(drill.name.lower() for drill in drills)
        if names and names not in work:
            work.append(names)
        release = release or any(is_hip_flexor_release(drill) for drill in drills)
    if release:
        work.append(GLUTE_ACTIVATION)
    return work


def focus_of(profile: Profile, catalogue: Catalogue | None = None) -> Focus:
    """The focus of a runner's sessions, from the profile of their latest screen."""
    catalogue = catalogue or default_catalogue()
    groups = _by_restriction(profile.restrictions)
    shown = groups[:FOCUS_FINDINGS]
    return Focus(
        findings=[_finding_words(restriction, findings, profile) for restriction, findings in shown],
        work=_work_for([restriction for restriction, _ in shown], catalogue),
        more=len(groups) - len(shown),
    )
