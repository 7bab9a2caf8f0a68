"""The kinds of refusal the back-office raises.

Both are ``ValidationError`` subclasses, so a form, the admin and the import show them like any other
validation message; callers that must tell them apart (a report, a retry) catch the subclass.
"""

from django.core.exceptions import ValidationError


class RuleRefusal(ValidationError):
    """The terms forbid it: the message names the article (or the recorded decision) that refuses."""


class InvalidTransition(ValidationError):
    """A status move that the row's transition table does not allow, or whose dates do not fit its state."""


__all__ = ["InvalidTransition", "RuleRefusal"]
