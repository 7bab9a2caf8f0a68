from . import payments, receivables  # noqa: F401  (registers the admins)
