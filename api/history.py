"""What the API changes is in the history with its user and "API (token name)".

The token authenticates inside the view, after simple-history's middleware read ``request.user``; a row
saved during the request gets the token's user when its writer named none, and the token's name beside
the writer's reason.
"""

from django.dispatch import receiver
from django.utils.translation import gettext as _
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record


def via(token) -> str:
    return _("API (%(name)s)") % {"name": token.name}


@receiver(pre_create_historical_record, dispatch_uid="api-history-names-the-token")
def name_the_token(sender, history_instance, **kwargs):
    request = getattr(HistoricalRecords.context, "request", None)
    token = getattr(request, "api_token", None)
    if token is None:
        return
    if history_instance.history_user_id is None:
        history_instance.history_user_id = token.user_id
    reason = history_instance.history_change_reason
    history_instance.history_change_reason = f"{reason} — {via(token)}" if reason else via(token)
