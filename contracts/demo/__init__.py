"""The demo data set loaded by ``manage.py seed_demo``."""

from .seed import DEFAULT_SEED, DEMO_USERNAME, demo_customers, demo_user, plan, seed

__all__ = ["DEFAULT_SEED", "DEMO_USERNAME", "demo_customers", "demo_user", "plan", "seed"]
