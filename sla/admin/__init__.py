"""The SLA admin: outages (with the contracts they hit, picked and previewed), failure notifications, claims
and their decisions, credits."""

from . import claims, outages

__all__ = ["claims", "outages"]
