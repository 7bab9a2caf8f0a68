"""The contract import's upload page (docs/import.md): the same import as ``import_contracts``, run as a job."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice.forms import UploadField
from jobs.pages import upload_page

from ..importer import job


class ImportForm(forms.Form):
    file = UploadField(
        label=gettext_lazy("CSV or JSON file"),
        help_text=gettext_lazy("Customers, related contracts, contracts, options and changes (docs/import.md)."),
    )
    dry_run = forms.BooleanField(label=gettext_lazy("dry run (check only)"), required=False, initial=True)
    partial = forms.BooleanField(
        label=job.KEEP_OK_ROWS,
        required=False,
        help_text=gettext_lazy("Without it, one refused row writes nothing (all or nothing)."),
    )


def import_page(modeladmin, request):
    return upload_page(
        modeladmin,
        request,
        permissions=job.PERMISSIONS,
        form_class=ImportForm,
        title=_("Import contracts from a file"),
        help_text=_("Every row goes through the same rules as the admin's forms; each refusal names its article."),
        start=lambda data, user: job.import_later(
            data["file"], by=user, partial=data["partial"], dry_run=data["dry_run"]
        ),
    )
