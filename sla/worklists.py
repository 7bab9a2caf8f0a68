"""The SLA app's worklists on the admin index: claims waiting for a decision, credits not yet invoiced."""

from django.utils.translation import gettext_lazy as _

from backoffice.worklists import Worklist

from .models import Claim, ClaimStatus, Credit, CreditStatus

WORKLISTS = (
    Worklist(
        group=_("Quality guarantee"),
        label=_("Claims to decide"),
        url_name="admin:sla_claim_changelist",
        permission="sla.decide_claim",
        query=f"status__exact={ClaimStatus.RECEIVED}",
        count=lambda: Claim.objects.filter(status=ClaimStatus.RECEIVED).count(),
    ),
    Worklist(
        group=_("Quality guarantee"),
        label=_("Credits granted, not yet invoiced"),
        url_name="admin:sla_credit_changelist",
        permission="sla.view_credit",
        query=f"status__exact={CreditStatus.GRANTED}",
        count=lambda: Credit.objects.filter(status=CreditStatus.GRANTED).count(),
    ),
)
