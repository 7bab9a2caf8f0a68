from . import cloud_proxy, managed_router, usage  # noqa: F401  (registers the admins)
