"""Rules of Cloud Proxy Service, SPEC §3."""
