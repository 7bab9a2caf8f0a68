"""Believable dates for one contract or option: its ``Story``, told as the lifecycle columns of an
import row, which the importer replays in date order through the lifecycle services.
"""

import random
from dataclasses import dataclass, replace
from datetime import date, timedelta

from contracts.choices import Status, TerminationReason

#: The demo data's "today": fixed, so the data set never depends on the day it is loaded.
TODAY = date(2026, 11, 21)
FIRST_APPLICATION = date(2023, 4, 1)


@dataclass(frozen=True)
class Story:
    status: str
    applied_on: date
    accepted_on: date | None = None
    billing_on: date | None = None
    notice_on: date | None = None
    requested_on: date | None = None
    ended_on: date | None = None  # termination date, or the day the application was withdrawn
    reason: str = ""
    follows_until: date | None = None  # a dependent row ends with the row it follows, by this day at the latest

    @property
    def live_until(self) -> date:
        """Last day on which the row can still take a change or an add-on."""
        return min(d for d in (self.notice_on, self.ended_on, self.follows_until, TODAY) if d)

    def columns(self) -> dict:
        """The lifecycle columns of the row (docs/import.md); a withdrawal ends an application."""
        if self.status == Status.WITHDRAWN:
            return {"applied_on": self.applied_on, "withdrawn_on": self.ended_on}
        columns = {
            "applied_on": self.applied_on,
            "accepted_on": self.accepted_on,
            "billing_start_on": self.billing_on,
            "notice_received_on": self.notice_on,
            "requested_end_on": self.requested_on,
            "terminated_on": self.ended_on,
            "termination_reason": self.reason,
        }
        return {name: value for name, value in columns.items() if value}


def day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, max((last - first).days, 0)))


def _billed(rng, first: date, last_applied: date) -> Story:
    applied = day(rng, first, last_applied)
    accepted = applied + timedelta(days=rng.randint(3, 14))
    return Story(Status.ACTIVE, applied, accepted, accepted + timedelta(days=rng.randint(7, 30)))


def make_story(rng: random.Random, status: str, notice_days: int, since: date = FIRST_APPLICATION) -> Story:
    """Dates of a contract that is in ``status`` on ``TODAY``; cancellations use ``notice_days``."""
    if status == Status.APPLIED:
        return Story(status, day(rng, TODAY - timedelta(days=25), TODAY - timedelta(days=1)))
    if status == Status.WITHDRAWN:
        applied = day(rng, max(since, date(2024, 1, 10)), date(2026, 9, 30))
        return Story(status, applied, ended_on=applied + timedelta(days=rng.randint(5, 30)))
    if status == Status.ACCEPTED:
        applied = day(rng, TODAY - timedelta(days=50), TODAY - timedelta(days=20))
        return Story(status, applied, applied + timedelta(days=rng.randint(3, 10)))
    if status == Status.ACTIVE:
        return _billed(rng, since, date(2026, 7, 31))
    if status == Status.CANCELLING:
        # The notice arrived recently enough that its effective date is still ahead.
        notice = TODAY - timedelta(days=rng.randint(0, notice_days - 1))
        requested = date(2026, 12, 31) if rng.random() < 0.3 else None
        return replace(_billed(rng, since, date(2026, 7, 31)), status=status, notice_on=notice, requested_on=requested)
    billed = _billed(rng, since, date(2025, 9, 30))
    if rng.random() < 0.75:
        ended = day(rng, billed.billing_on + timedelta(days=45), TODAY - timedelta(days=1))
        notice = ended - timedelta(days=notice_days)
        return replace(
            billed, status=status, notice_on=notice, ended_on=ended, reason=TerminationReason.CUSTOMER_REQUEST
        )
    ended = day(rng, billed.billing_on + timedelta(days=30), TODAY - timedelta(days=1))
    reason = rng.choice([TerminationReason.GT_ART28_2, TerminationReason.GT_ART28_3])
    return replace(billed, status=status, ended_on=ended, reason=reason)


def dependent_story(parent: Story) -> Story:
    """A row applied with ``parent`` that follows it; it ends with it, so it has no end of its own."""
    status = Status.ACTIVE if parent.status in (Status.CANCELLING, Status.TERMINATED) else parent.status
    if status == Status.WITHDRAWN:
        return parent
    return Story(status, parent.applied_on, parent.accepted_on, parent.billing_on, follows_until=parent.live_until)


def later_story(rng: random.Random, parent: Story) -> Story | None:
    """An option applied later, while ``parent`` was billed; None when ``parent`` never was long enough."""
    if parent.billing_on is None:
        return None
    first, last = parent.billing_on + timedelta(days=30), parent.live_until - timedelta(days=40)
    if last < first:
        return None
    applied = day(rng, first, last)
    accepted = applied + timedelta(days=rng.randint(2, 7))
    billing = accepted + timedelta(days=rng.randint(3, 14))
    return Story(Status.ACTIVE, applied, accepted, billing, follows_until=parent.live_until)


def stopped_story(rng: random.Random, story: Story, notice_days: int) -> Story:
    """``story`` of a billed option whose stop was requested: pending, or already effective.

    An option of a row that ends with the row it follows (``follows_until``) ends with it instead."""
    if story.status != Status.ACTIVE or story.live_until < TODAY:
        return story
    if rng.random() < 0.5:
        notice = TODAY - timedelta(days=rng.randint(0, notice_days - 1))
        if notice > story.billing_on:
            return replace(story, status=Status.CANCELLING, notice_on=notice)
    first = story.billing_on + timedelta(days=notice_days + 10)
    if first >= TODAY:
        return story
    ended = day(rng, first, TODAY - timedelta(days=1))
    return replace(
        story,
        status=Status.TERMINATED,
        notice_on=ended - timedelta(days=notice_days),
        ended_on=ended,
        reason=TerminationReason.CUSTOMER_REQUEST,
    )
