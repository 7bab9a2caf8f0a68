from . import journal, payments, receivables  # noqa: F401  (registers the admins)
