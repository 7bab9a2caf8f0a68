"""Webhooks out: other systems subscribe to events and receive each as a signed POST.

- ``subscriptions``: making one (its secret generated and shown once), rotating its secret, and the hook that
  gives the outbox the secret of a delivery's subscription.
- ``events``: the domain apps' signals heard, and one outbox message posted per (subscription, event).
- ``admin``: the subscriptions' screens, for superusers (and whoever is given the subscription's model
  permissions by hand: no role grants them, ``api.roles``).

Deliveries go through the outbox like e-mails (``outbox.sending``): written with the change they tell of (the
invoices issued, inside the closing's transaction), or just after it commits for the signals sent on commit;
sent at least once after the commit; failed ones tried again later; failed ones sent again from the outbox's
list. The outbox sits below the API and never reads a subscription: a message holds the URL, the event type,
the JSON and the subscription's id (``endpoint_id``), and the outbox asks ``subscriptions.secret_of`` for the
secret when it signs (``outbox.webhooks``), so a rotated secret signs every try after the rotation and no
message row holds a secret.
"""
