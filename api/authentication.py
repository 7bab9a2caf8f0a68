"""``Authorization: Bearer bo_…``: the request acts as the token's user (``api.tokens``)."""

from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from backoffice.signin_locks import client_address

from . import tokens


class TokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0].lower() != self.keyword.lower():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("The Authorization header is “Bearer <token>”."))
        try:
            token = tokens.authenticate(header[1], client_address(request._request))
        except tokens.Refused as refused:
            raise exceptions.AuthenticationFailed(str(refused)) from None
        # The history of what this request changes names the token (api.history).
        request._request.api_token = token
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword
