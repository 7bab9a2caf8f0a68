from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Last in INSTALLED_APPS: it depends on every app, no app depends on it."""

    name = "demo"
