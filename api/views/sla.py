"""sla through the API (filled in by its own change)."""

ROUTES = []
