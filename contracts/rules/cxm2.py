"""Rules of CXM2 (Cloud Exchange Service / Type M2), SPEC §2."""
