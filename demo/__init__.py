"""The demo data set of every app (``seed_demo``) and the demo login (``ensure_demo_login``)."""
