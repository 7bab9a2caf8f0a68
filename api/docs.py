"""The OpenAPI file and Swagger UI, for signed-in staff only, served from the packages' own assets."""

from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import BasePermission

from backoffice.signin import lacks_second_factor


class SignedInStaff(BasePermission):
    """Staff signed in to the admin, with the second factor their role needs."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_active and user.is_staff and not lacks_second_factor(request._request))


AUTHENTICATION = [SessionAuthentication]
PERMISSIONS = [SignedInStaff]
