"""Self-checks for the notebooks' code exercises: ``check("01-1", answer)``.

Each check works out the expected answer from the data when it is called, so a correction to
the data never leaves a check wrong, and compares the student's answer with it. It says
**right**, **partly right** or **not yet**, with a hint, and never prints the expected answer.
Writing exercises (a paragraph, an argument) are not checked here; their success criteria
are in the notebooks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape

import pandas as pd

from cyberhistory.data import Dataset, load, sources_for
from cyberhistory.eras import era_of
from cyberhistory.filters import by_campaign
from cyberhistory.i18n import N_
from cyberhistory.i18n import gettext as _

OPERATIONS = ("hacktivist_operation", "state_linked_operation")
TOLERANCE = 0.01


@dataclass(frozen=True, repr=False)
class Result:
    """A check's verdict: ``status`` is "right", "partly right" or "not yet"; ``message`` never holds the answer."""

    exercise: str
    status: str
    message: str

    @property
    def passed(self) -> bool:
        return self.status == "right"

    def __str__(self) -> str:
        mark = {"right": "✓", "partly right": "◐", "not yet": "✗"}[self.status]
        verdict = _("Exercise %(exercise)s: %(status)s.") % {"exercise": self.exercise, "status": _(self.status)}
        return f"{mark} {verdict} {self.message}"

    __repr__ = __str__

    def _repr_html_(self) -> str:
        return f'<p class="check check-{self.status.replace(" ", "-")}" role="status">{escape(str(self))}</p>'


# The verdicts, for the catalog: a Result keeps them in English and shows them in the current language.
_STATUSES = (N_("right"), N_("partly right"), N_("not yet"))


def _right(exercise: str, message: str | None = None) -> Result:
    return Result(exercise, "right", message or _("Well done."))


def _partly(exercise: str, hint: str) -> Result:
    return Result(exercise, "partly right", hint)


def _not_yet(exercise: str, hint: str) -> Result:
    return Result(exercise, "not yet", hint)


def _as_series(answer) -> pd.Series | None:
    """A Series from what a student is likely to hand in: a Series, a one-column frame, or a dict."""
    if isinstance(answer, pd.DataFrame) and answer.shape[1] == 1:
        answer = answer.iloc[:, 0]
    if isinstance(answer, dict):
        answer = pd.Series(answer)
    if not isinstance(answer, pd.Series):
        return None
    answer = answer.copy()
    answer.index = answer.index.map(str)
    return answer[answer != 0]


def _compare(exercise: str, answer, expected: pd.Series, hints: dict[str, str]) -> Result:
    """Compare a table of numbers by label: every label, and every value within the tolerance."""
    got = _as_series(answer)
    if got is None:
        return _not_yet(exercise, hints["shape"])
    expected = expected[expected != 0]
    expected.index = expected.index.map(str)
    if set(got.index) != set(expected.index):
        return (
            _partly(exercise, hints["labels"])
            if set(got.index) & set(expected.index)
            else _not_yet(exercise, hints["labels"])
        )
    wrong = [label for label in expected.index if abs(float(got[label]) - float(expected[label])) > TOLERANCE]
    if not wrong:
        return _right(exercise)
    differ = _("%(wrong)s of %(total)s values differ (%(labels)s).") % {
        "wrong": len(wrong),
        "total": len(expected),
        "labels": ", ".join(wrong[:3]),
    }
    return _partly(exercise, f"{differ} {hints['values']}")


def _number(exercise: str, answer, expected: int, hint: str) -> Result:
    try:
        value = int(answer)
    except (TypeError, ValueError):
        example = _('Hand in a single number, for example `check("%(exercise)s", len(...))`.')
        return _not_yet(exercise, example % {"exercise": exercise})
    return _right(exercise) if value == expected else _not_yet(exercise, hint)


def _01_1(data: Dataset, answer) -> Result:
    claimed = data.events[data.events["claim_status"] == "claimed"]
    expected = claimed["claim_verification"].astype(str).value_counts()
    got = _as_series(answer)
    if got is not None and len(claimed) != len(data.events) and abs(float(got.sum()) - len(data.events)) < 0.5:
        return _partly("01-1", _("Your counts add up to every event: keep only the claimed ones first."))
    if got is not None and abs(float(got.sum()) - 1) < TOLERANCE:
        return _partly("01-1", _("These look like shares: the exercise asks how many, so count (no normalize=True)."))
    hints = {
        "shape": _("Hand in the counts of `claim_verification` among claimed events (a value_counts())."),
        "labels": _("Count `claim_verification` (not `claim_status`) among the claimed events."),
        "values": _('Check the filter: `claim_status` must equal "claimed".'),
    }
    return _compare("01-1", answer, expected, hints)


def _02_1(data: Dataset, answer) -> Result:
    details = getattr(answer, "details", None)
    if details is None:
        return _not_yet(
            "02-1", _('Hand in the chart itself: `chart = plot_timeline(...)`, then `check("02-1", chart)`.')
        )
    campaign = by_campaign(data.events, "operation-payback")
    if details.get("events") != len(campaign):
        return _not_yet("02-1", _("The timeline should hold every event of the campaign: pass its id to by_campaign."))
    if details.get("lanes_by") != "tactic":
        return _partly("02-1", _('The right events; now draw the lanes by tactic (lanes="tactic").'))
    return _right("02-1")


def _02_2(data: Dataset, answer) -> Result:
    events = data.events.assign(era=data.events["year"].map(era_of))
    expected = events.groupby("era", sort=False)["start_precision"].apply(lambda p: (p.astype(str) == "day").mean())
    if isinstance(answer, pd.Series) and isinstance(answer.index, pd.MultiIndex):
        answer = answer.xs("day", level=-1) if "day" in answer.index.get_level_values(-1) else answer
    hints = {
        "shape": _("Hand in one share per era: the share of events known to the day."),
        "labels": _("Use one row per era (era_of gives the era of a year)."),
        "values": _("Shares are between 0 and 1: use value_counts(normalize=True) within each era."),
    }
    return _compare("02-2", answer, expected, hints)


def _07_1(data: Dataset, answer) -> Result:
    operation = by_campaign(data.events, "operation-cartel")
    cited = sources_for(data, operation).drop_duplicates("source_id")
    expected = int(cited["published_earliest"].notna().sum())
    if isinstance(answer, int | float) and int(answer) == len(cited):
        return _partly("07-1", _("That is every cited source; count only those with a publication date."))
    return _number("07-1", answer, expected, _("Count each source once (drop_duplicates), and only those with a date."))


def _08_1(data: Dataset, answer) -> Result:
    ops = data.events[data.events["kind"].isin(OPERATIONS)].dropna(subset=["impact_claimed", "impact_verified"])
    expected = int((ops["impact_claimed"] > ops["impact_verified"]).sum())
    return _number("08-1", answer, expected, _("Keep operations with both scores, then count claimed > verified."))


CHECKS: dict[str, Callable[[Dataset, object], Result]] = {
    "01-1": _01_1,
    "02-1": _02_1,
    "02-2": _02_2,
    "07-1": _07_1,
    "08-1": _08_1,
}


def check(exercise: str, answer, data: Dataset | None = None) -> Result:
    """Check an answer to a code exercise; the result shows as one line: right, partly right or not yet."""
    if exercise not in CHECKS:
        raise ValueError(f"no self-check for exercise {exercise!r}; checks exist for {', '.join(CHECKS)}")
    return CHECKS[exercise](data if data is not None else load(), answer)
