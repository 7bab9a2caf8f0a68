from . import invoices, months  # noqa: F401  (registers the admin pages)
