"""Rules of Managed Router Service, SPEC §5."""
