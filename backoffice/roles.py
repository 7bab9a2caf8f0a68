"""The staff roles (Django groups) and the permissions each one holds.

The groups are named here; what they may do is declared by the domain apps, each in its own
``AppConfig.ready()`` with one ``register("role_grants", GRANTS, name=app)`` for its own models
(``backoffice.registry``). ``sync_roles`` then makes every
group hold exactly what is declared. It runs on post_migrate because Django itself creates the
permissions there, after all migrations: a data migration alone would find none on a fresh
database. post_migrate also follows a ``flush``, so the groups come back after transactional tests.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, transaction
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .registry import registry


@dataclass(frozen=True)
class Role:
    name: str  # the group's name, which other code relies on
    label: str | Promise


SALES = "sales"
LOGISTICS = "logistics"
BILLING = "billing"
APPROVER = "approver"
AUDITOR = "auditor"

ROLES = (
    Role(SALES, _("Sales and support")),
    Role(LOGISTICS, _("Logistics")),
    Role(BILLING, _("Billing")),
    Role(APPROVER, _("Approver")),
    Role(AUDITOR, _("Auditor")),
)
ROLE_NAMES = tuple(role.name for role in ROLES)

#: The role that reads everything, history included: every view permission of every model, so a
#: later app's models are readable without declaring them.
READS_EVERYTHING = AUDITOR


def check_grants(grants: Mapping[str, Iterable[str]]) -> None:
    """Refuse a declaration (role → ``"app_label.codename"``s) naming a role that does not exist."""
    unknown = set(grants) - set(ROLE_NAMES)
    if unknown:
        raise ImproperlyConfigured(f"Unknown roles {sorted(unknown)}; the roles are {list(ROLE_NAMES)}.")


def granted(role: str) -> frozenset[str]:
    """What the apps declared for ``role`` (the auditor's view permissions come on top)."""
    return frozenset(name for grants in registry["role_grants"].values() for name in grants.get(role, ()))


def permissions(app_label: str, models: Iterable[str], *actions: str) -> list[str]:
    """``"app.action_model"`` for each action and model: ``permissions("contracts", ["item"], "view", "change")``."""
    return [f"{app_label}.{action}_{model}" for model in models for action in actions]


def sync_roles(using: str = DEFAULT_DB_ALIAS) -> None:
    """Create the groups and give each exactly the permissions declared for it.

    Creates any missing permission first, so it works whichever app's post_migrate comes first.
    A declared permission that no model defines is a typo: refused loudly.
    """
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    existing = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.using(using).select_related("content_type")
    }
    missing = set().union(*map(granted, ROLE_NAMES)) - existing.keys()
    if missing:
        raise ImproperlyConfigured(f"Roles are granted permissions that no model defines: {sorted(missing)}")
    with transaction.atomic(using=using):
        for role in ROLES:
            chosen = {existing[name] for name in granted(role.name)}
            if role.name == READS_EVERYTHING:
                chosen |= {p for p in existing.values() if p.codename.startswith("view_")}
            group, _created = Group.objects.using(using).get_or_create(name=role.name)
            group.permissions.set(chosen)


def sync_after_migrate(sender, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    """post_migrate receiver: sync once per ``migrate`` or ``flush``, on the last app's signal."""
    if sender is [config for config in apps.get_app_configs() if config.models_module][-1]:
        sync_roles(using)


def ensure_role_logins(password: str) -> list[tuple[Role, object]]:
    """The demo's staff logins, one per role, named after the role and in its group only: (role, user).

    As for the demo superuser, a password someone set by hand is kept: only a new login (or one
    without a usable password) gets ``password``.
    """
    logins = []
    for role in ROLES:
        group, _created = Group.objects.get_or_create(name=role.name)
        user, created = get_user_model().objects.get_or_create(username=role.name)
        if created or not user.has_usable_password():
            user.set_password(password)
        user.is_active = user.is_staff = True
        user.is_superuser = False
        user.save()
        user.groups.set([group])
        logins.append((role, user))
    return logins
