"""Rules of Smart HUB, SPEC §4."""
