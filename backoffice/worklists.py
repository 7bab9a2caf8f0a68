"""Worklists: the links on the admin index that take each role to what waits for it.

An app registers its lists (``backoffice.registry``, key ``worklists``) in ``AppConfig.ready()``
(equipment: units to ship, overdue returns; billing: months to close; reports: the month's dashboard).
The index shows a user the lists their permissions open, grouped by heading, each with the number of
rows waiting when it has a count.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise

from .registry import registry


@dataclass(frozen=True)
class Worklist:
    group: str | Promise  # the heading it is listed under, e.g. the app's name
    label: str | Promise
    url_name: str  # reversed without arguments, e.g. "admin:equipment_unit_changelist"
    permission: str  # "app_label.codename" the user needs to see it
    query: str = ""  # appended to the URL, e.g. "worklist=to_ship"
    count: Callable[[], int] | None = None  # rows waiting (one query), shown beside the label

    @property
    def name(self) -> str:
        """Where it leads, which names it in the registry."""
        return f"{self.url_name}?{self.query}"


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    count: int | None


def visible(user) -> list[tuple[str, list[Link]]]:
    """``[(group, links)]`` of the worklists ``user`` may open, in the order they were added."""
    groups: dict[str, list[Link]] = {}
    for worklist in registry["worklists"].values():
        if not user.has_perm(worklist.permission):
            continue
        url = reverse(worklist.url_name) + (f"?{worklist.query}" if worklist.query else "")
        count = worklist.count() if worklist.count else None
        groups.setdefault(str(worklist.group), []).append(Link(str(worklist.label), url, count))
    return list(groups.items())


__all__ = ["Link", "Worklist", "visible"]
