"""One registry of what the apps add to each other, filled from each app's ``AppConfig.ready()``.

The keys are fixed here, up front: a typo in a key is refused, not a new store. ``register`` is the one
way in. An item is stored under its name (its ``name``, else its dotted path, unless one is given), and
the parts one app adds to another's model under that target too (``to=Customer``). ``ready()`` may run
twice in tests: the very same item under its name again changes nothing, while a different item under a
name already taken is refused loudly, whatever the key. Reading returns what was registered, in order.
"""

from collections.abc import Hashable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from types import MappingProxyType

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Key:
    doc: str
    #: Items are added to a target (a model, a model's action, a rule hook's code), each target its own store.
    targeted: bool = False
    #: The dotted path of a function that refuses an ill-formed item (raises ``ImproperlyConfigured``).
    check: str = ""


KEYS = {
    "charge_sources": Key("Billing's charge sources: ``source(month)`` yields the ``Charge``s due (billing.sources)."),
    "job_kinds": Key("Kinds of background job (``jobs.kinds.JobKind``), by the name a job row stores."),
    "outbox_topics": Key("Topics of outgoing messages (``outbox.topics.Topic``): who reads them, whence they go."),
    "outbox_attachments": Key("``reader(row_id)`` of each kind of file a message may carry, by kind."),
    "outbox_secrets": Key("``secret(endpoint_id)``, the ``whsec_`` key a topic's webhooks are signed with, by topic."),
    "admin_inlines": Key("Inlines added to a model's admin page.", targeted=True),
    "admin_columns": Key("Changelist columns (``backoffice.parts.Column``) added to a model's admin.", targeted=True),
    "admin_actions": Key("Admin actions added to a model's changelist.", targeted=True),
    "confirmation_notes": Key("Notes on the confirmation page of ``(model, action name)``.", targeted=True),
    "guards": Key("Checks a model's ``clean()`` runs from outside its module (backoffice.guards).", targeted=True),
    "worklists": Key("Links on the admin index to what waits for each role (``backoffice.worklists``)."),
    "timeline_sources": Key("Sources of a customer's timeline events.", check="backoffice.timeline.check_source"),
    "role_grants": Key("What an app's permissions give each role, by app.", check="backoffice.roles.check_grants"),
    "database_refusals": Key("The words of a refusal the database names (a trigger's name → its message)."),
    "outage_evidence": Key(
        "``evidence(outage)``: what else an outage rests on, as ``(text, url)`` links (sla's credits)."
    ),
    "contract_rules": Key("The rules of ``(hook, service code)`` (contracts.rules.hooks).", targeted=True),
    "worker_warmups": Key("``warm()``: what a task worker loads once as it starts, before RQ forks for each task."),
}


def _name_of(item) -> str:
    name = getattr(item, "name", None)
    return name if isinstance(name, str) else f"{item.__module__}.{item.__name__}"


def _target(to) -> Hashable:
    """A model (class or instance) by its label, so that a target reads the same however it is named."""
    if isinstance(to, tuple):
        return tuple(_target(part) for part in to)
    meta = getattr(to, "_meta", None)
    return meta.label_lower if meta is not None else to


class Registry(Mapping[str, Mapping]):
    """``registry[key]``: a read-only view of the key's store, ``{name: item}`` (``{target: {name: item}}``
    for a targeted key)."""

    def __init__(self, keys: Mapping[str, Key]):
        self.keys = dict(keys)
        self._stores: dict[str, dict] = {key: {} for key in keys}

    def __getitem__(self, key: str) -> Mapping:
        return MappingProxyType(self._stores[key])

    def __iter__(self) -> Iterator[str]:
        return iter(self._stores)

    def __len__(self) -> int:
        return len(self._stores)

    def register(self, key: str, item, *, name: Hashable | None = None, to=None) -> None:
        """Store ``item`` under ``key`` by ``name`` (the item's own name by default), added ``to`` a target
        where the key has targets."""
        spec = self.keys.get(key)
        if spec is None:
            raise ImproperlyConfigured(f"No registry key {key!r}; the keys are {sorted(self.keys)}.")
        if spec.targeted != (to is not None):
            need = "needs a target (to=…)" if spec.targeted else "takes no target"
            raise ImproperlyConfigured(f"The registry key {key!r} {need}.")
        if spec.check:
            import_string(spec.check)(item)
        name = _name_of(item) if name is None else name
        store = self._stores[key] if to is None else self._stores[key].setdefault(_target(to), {})
        present = store.get(name, item)
        if present is not item and present != item:
            raise ImproperlyConfigured(f"{key}: {name!r} is already registered as {present!r}, not {item!r}.")
        store[name] = item

    def added_to(self, key: str, to) -> list:
        """The items of a targeted ``key`` added to ``to``, in the order they were registered."""
        return list(self._stores[key].get(_target(to), {}).values())

    @contextmanager
    def kept(self, *emptied: str):
        """For tests: what is registered inside is forgotten on leaving, and the keys ``emptied`` start empty."""
        saved = {key: self._copy(key) for key in self._stores}
        for key in emptied:
            self._stores[key].clear()
        try:
            yield self
        finally:
            for key, store in saved.items():
                self._stores[key].clear()
                self._stores[key].update(store)

    def _copy(self, key: str) -> dict:
        store = self._stores[key]
        return {target: dict(items) for target, items in store.items()} if self.keys[key].targeted else dict(store)


registry = Registry(KEYS)
register = registry.register
