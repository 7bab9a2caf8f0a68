"""A kind of job is named where its work is defined: the owning app declares it (``billing.background``:
``BILLING_RUN``) and registers it in its ``ready()`` (``backoffice.registry``, key ``job_kinds``). The jobs
app lists no kind of its own, so a new kind needs no migration here."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.utils.functional import Promise

from backoffice.registry import registry


@dataclass(frozen=True)
class JobKind:
    #: What a job row stores (``Job.kind``), ``"<app>.<work>"``: rows hold it, so it never changes.
    name: str
    label: str | Promise
    #: ``handler(job)`` does the work (``jobs.services``).
    handler: Callable
    #: How the job's page reads those of its arguments that only the app can read (``jobs.arguments``).
    readers: Mapping[str, Callable] = field(default_factory=dict)


def kind_of(name: str) -> JobKind | None:
    return registry["job_kinds"].get(name)


def label(name: str) -> str:
    """The kind's name in staff's words (as stored, for a kind no app registers any more)."""
    kind = kind_of(name)
    return str(kind.label if kind else name)


def choices() -> list[tuple[str, str]]:
    return [(name, str(kind.label)) for name, kind in registry["job_kinds"].items()]
