"""Rules of ISP Platform Service, SPEC §6."""
