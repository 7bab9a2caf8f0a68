"""What every record of a contract shares: the contract, of one service (and item role), and a note."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class ContractRecord(models.Model):
    """A record on one contract of ``services`` (and, when given, of an item of ``item_role``)."""

    #: The services whose terms call for the record, the item role it is kept for, which contracts these are
    #: (for the message) and the article.
    services: tuple[str, ...] = ()
    item_role: str = ""
    kept_on = ""
    article = ""

    contract = models.ForeignKey("contracts.Contract", on_delete=models.PROTECT, verbose_name=_("contract"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        abstract = True

    def clean(self):
        """The record belongs to a contract of its service (and item role)."""
        if not self.contract_id:
            return
        contract = self.contract
        if contract.service_id not in self.services or (self.item_role and contract.item.role != self.item_role):
            raise ValidationError(
                {
                    "contract": _("This is recorded on %(what)s only (%(article)s).")
                    % {"what": self.kept_on, "article": self.article}
                }
            )
