"""Issued invoices seen as money owed to us: the admin's list of receivables (balances, overdue, aging)."""

from django.utils.translation import gettext_lazy as _

from billing.models import Invoice


class Receivable(Invoice):
    """An issued invoice as a receivable (a proxy: no table of its own; billing's rules stay in force)."""

    class Meta:
        proxy = True
        verbose_name = _("receivable")
        verbose_name_plural = _("receivables")
