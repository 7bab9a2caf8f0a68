"""Strings that django-simple-history, Django's admin and the sign-in apps show but whose catalogues lack
Japanese.

simple-history and django-axes ship no Japanese at all, django-otp's names are plain English made
translatable by ``signin_admin``, and Django's Japanese catalogue misses a few admin strings.
``makemessages`` only collects the project's own calls, so these msgids are listed here, marked
with ``gettext_noop``, to keep their translations alive in ``locale/ja``; the project's catalogue
comes first in ``LOCALE_PATHS``, so Django finds them there. Nothing imports this module.
"""

from django.utils.translation import gettext_noop

SIMPLE_HISTORY = (
    # simple_history/object_history.html and object_history_form.html (the project overrides and so
    # collects object_history_list.html itself)
    gettext_noop("This object doesn't have a change history."),
    gettext_noop("Choose a date from the list below to revert to a previous version of this object."),
    gettext_noop("Change History"),
    gettext_noop("Revert"),
    gettext_noop("View %(verbose_name)s"),
    gettext_noop("Revert %(verbose_name)s"),
    gettext_noop("Press the 'Revert' button below to revert to this version of the object."),
    gettext_noop("Press the 'Change History' button below to edit the history."),
    # simple_history/admin.py: the titles of the history pages
    gettext_noop("View history: %s"),
    gettext_noop("Revert %s"),
    # simple_history/models.py: the history types and a deleted row
    gettext_noop("Created"),
    gettext_noop("Changed"),
    gettext_noop("Deleted"),
    gettext_noop("Deleted %(type_name)s"),
)

DJANGO_ADMIN = (
    # admin/date_hierarchy.html
    gettext_noop("Filter by %(field_name)s"),
    # django.db.models.fields.BLANK_CHOICE_LABEL, the empty choice of a select
    gettext_noop("- Select an option -"),
)

DJANGO_AXES = (
    # axes/models.py: the models, and the fields its admin lists and shows
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("access attempt expiration"),
    gettext_noop("User Agent"),
    gettext_noop("IP Address"),
    gettext_noop("Username"),
    gettext_noop("HTTP Accept"),
    gettext_noop("Path"),
    gettext_noop("Attempt Time"),
    gettext_noop("Access lock out"),
    gettext_noop("GET Data"),
    gettext_noop("POST Data"),
    gettext_noop("Failed Logins"),
    gettext_noop("Logout Time"),
    gettext_noop("Session key hash (sha256)"),
    # axes/admin.py: a filter, sections, an action, the status column and an empty expiry
    gettext_noop("Locked Out"),
    gettext_noop("Form Data"),
    gettext_noop("Meta Data"),
    gettext_noop("Clean up expired attempts"),
    gettext_noop("Attempt Remaining"),
    gettext_noop("Not set"),
)

DJANGO_OTP = (
    # django_otp/models.py and its plugins' models: model names, field names and help texts
    gettext_noop("TOTP device"),
    gettext_noop("TOTP devices"),
    gettext_noop("static device"),
    gettext_noop("static devices"),
    gettext_noop("static token"),
    gettext_noop("static tokens"),
    gettext_noop("user"),
    gettext_noop("name"),
    gettext_noop("confirmed"),
    gettext_noop("throttling failure timestamp"),
    gettext_noop("throttling failure count"),
    gettext_noop("created at"),
    gettext_noop("last used at"),
    gettext_noop("key"),
    gettext_noop("step"),
    gettext_noop("t0"),
    gettext_noop("digits"),
    gettext_noop("tolerance"),
    gettext_noop("drift"),
    gettext_noop("last t"),
    gettext_noop("device"),
    gettext_noop("token"),
    gettext_noop("The user that this device belongs to."),
    gettext_noop("The human-readable name of this device."),
    gettext_noop("Is this device ready for use?"),
    gettext_noop("A timestamp of the last failed verification attempt. Null if last attempt succeeded."),
    gettext_noop("Number of successive failed attempts."),
    gettext_noop("The date and time when this device was initially created in the system."),
    gettext_noop("The most recent date and time this device was used."),
    gettext_noop("A hex-encoded secret key of up to 40 bytes."),
    gettext_noop("The time step in seconds."),
    gettext_noop("The Unix time at which to begin counting steps."),
    gettext_noop("The number of digits to expect in a token."),
    gettext_noop("The number of time steps in the past or future to allow."),
    gettext_noop("The number of time steps the prover is known to deviate from our clock."),
    gettext_noop("The t value of the latest verified token. The next token must be at a higher time step."),
    # plugins/otp_totp/admin.py and otp_static/admin.py: the sections of a device's page
    gettext_noop("Identity"),
    gettext_noop("Timestamps"),
    gettext_noop("Configuration"),
    gettext_noop("State"),
    gettext_noop("Throttling"),
)
