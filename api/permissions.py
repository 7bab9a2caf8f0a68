"""What a token may do: what its user's permissions allow, and nothing unsafe with a read-only token.

A list or a row is read with the model's ``view`` permission; an action names the permission it needs
(``required_permission`` on the view, or the action's ``permission`` keyword of ``api.views.acts``).
"""

from django.utils.translation import gettext as _
from rest_framework import permissions


class TokenPermissions(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        token = request.auth
        if token is None or not request.user or not request.user.is_active:
            return False
        if request.method not in permissions.SAFE_METHODS and not token.writes:
            self.message = _("This token is read-only.")
            return False
        needed = required_permissions(request, view)
        if needed and not request.user.has_perms(needed):
            self.message = _("Your role may not do this.")
            return False
        return True


def required_permissions(request, view) -> list[str]:
    """The permissions the request needs: the action's own, else ``view`` on the view's model."""
    action = getattr(view, view.action, None) if getattr(view, "action", None) else None
    named = getattr(action, "permission", None) or getattr(view, "required_permission", None)
    if named:
        return [named] if isinstance(named, str) else list(named)
    queryset = getattr(view, "queryset", None)
    if queryset is None:
        return []
    meta = queryset.model._meta
    return [f"{meta.app_label}.view_{meta.model_name}"]
