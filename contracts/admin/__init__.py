"""Admin of the contracts domain, one module per concern."""

from . import abolition, catalog, charges, contracts  # noqa: F401  (registers the admin classes)
