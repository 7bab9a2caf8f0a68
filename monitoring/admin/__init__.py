"""The monitoring in the admin: sources (superusers), what was received, the alerts, the network identifiers."""

from . import evidence, identifiers, sources  # noqa: F401 (registers the admins)
