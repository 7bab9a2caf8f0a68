"""Claims (recorded by billing, decided with a confirmation step) and the credits granted on them."""

from django.contrib import admin
from django.db.models import Q
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice.actions import StepAction
from backoffice.admin import HistoryAdmin, admin_link
from backoffice.display import date_text, yen
from backoffice.registry import registry

from ..models import Claim, ClaimStatus, Credit, FailureNotification
from ..services import claims
from .forms import DecideForm


def _decide(obj, data, user):
    credit = claims.decide(obj, on=data["on"], by=user)
    if credit is None:
        return _("refused: %(reason)s") % {"reason": obj.refusal_reason}
    return _("credit %(amount)s granted") % {"amount": yen(credit.amount)}


def _late_claims(objects):
    """Shown before confirming: the claims made after their deadline, which will be refused."""
    return [
        _("%(claim)s: claimed after the deadline %(deadline)s, it will be refused.")
        % {"claim": claim, "deadline": date_text(claim.affected.claim_deadline)}
        for claim in objects
        if claim.affected.claim_deadline and claim.claimed_on > claim.affected.claim_deadline
    ]


DECIDE = StepAction(
    name="decide",
    label=gettext_lazy("Decide the claims (grant within the deadline, else refuse)"),
    form_class=DecideForm,
    perform=_decide,
    warning=_late_claims,
)


@admin.register(Claim)
class ClaimAdmin(HistoryAdmin):
    list_display = ("claimed_on", "contract_column", "customer_column", "outage_column", "status", "deadline_column")
    list_select_related = ("affected__outage", "affected__contract__customer")
    list_filter = ("status", "affected__contract__service", ("claimed_on", admin.DateFieldListFilter))
    search_fields = (
        "affected__contract__number",
        "affected__contract__customer__code",
        "affected__contract__customer__name",
    )
    autocomplete_fields = ("affected",)
    date_hierarchy = "claimed_on"
    actions = [DECIDE.as_admin_action()]
    fields = ("affected", "claimed_on", "status", "deadline_column", "decided_on", "refusal_reason")
    readonly_fields = ("status", "deadline_column", "decided_on", "refusal_reason")

    def get_readonly_fields(self, request, obj=None):
        """A decided claim is kept as decided; a received one may still be corrected before the decision."""
        if obj and obj.status != ClaimStatus.RECEIVED:
            return self.fields
        return self.readonly_fields

    @admin.display(description=gettext_lazy("contract"), ordering="affected__contract__number")
    def contract_column(self, obj):
        return admin_link(obj.affected.contract, obj.affected.contract.number)

    @admin.display(description=gettext_lazy("customer"), ordering="affected__contract__customer__code")
    def customer_column(self, obj):
        return admin_link(obj.affected.contract.customer)

    @admin.display(description=gettext_lazy("outage"), ordering="affected__outage__started_at")
    def outage_column(self, obj):
        return admin_link(obj.affected.outage)

    @admin.display(description=gettext_lazy("claim deadline"))
    def deadline_column(self, obj):
        """The deadline decided on, or the one the claim will be judged against."""
        deadline = obj.deadline or obj.affected.claim_deadline
        return date_text(deadline) if deadline else _("no credit")


@admin.register(Credit)
class CreditAdmin(HistoryAdmin):
    list_display = (
        "granted_on",
        "contract_column",
        "customer_column",
        "availability_amount",
        "notification_amount",
        "total",
        "status",
        "invoice_number",
        "invoiced_on",
    )
    list_select_related = ("claim__affected__contract__customer",)
    list_filter = ("status", ("granted_on", admin.DateFieldListFilter))
    search_fields = ("claim__affected__contract__number", "claim__affected__contract__customer__name", "invoice_number")
    fields = (
        "claim",
        "availability_amount",
        "notification_amount",
        "granted_on",
        "status",
        "invoice_number",
        "invoiced_on",
        "evidence",
    )
    readonly_fields = fields

    @admin.display(description=gettext_lazy("what it rests on"))
    def evidence(self, obj):
        """The outage and its times, the failure notices of the contract, and what else registered evidence of
        the outage (the monitoring's alerts)."""
        affected = obj.claim.affected
        outage = affected.outage
        items = [
            format_html(
                "{} {} – {} ({})",
                _("Outage"),
                admin_link(outage, date_text(outage.started_at, seconds=True)),
                date_text(outage.ended_at, seconds=True) if outage.ended_at else "-",
                outage.get_state_display(),
            )
        ]
        notices = FailureNotification.objects.filter(outage=outage, customer=affected.contract.customer_id).filter(
            Q(contract=affected.contract_id) | Q(contract__isnull=True)
        )
        for notice in notices.select_related("message"):
            told = date_text(notice.notified_at, seconds=True) if notice.notified_at else _("never notified")
            items.append(
                format_html(
                    "{}: {} {}, {} {}{}",
                    _("Failure notice"),
                    _("detected"),
                    date_text(notice.detected_at, seconds=True),
                    _("notified"),
                    told,
                    format_html(" ({})", admin_link(notice.message, _("e-mail"))) if notice.message_id else "",
                )
            )
        for evidence in registry["outage_evidence"].values():
            items.extend(format_html('<a href="{}">{}</a>', url, text) for text, url in evidence(outage))
        return format_html_join("", "<div>{}</div>", ((item,) for item in items))

    def has_add_permission(self, request):
        """Credits are granted by deciding a claim."""
        return False

    def has_change_permission(self, request, obj=None):
        """Granted credits are kept as granted; billing marks them invoiced."""
        return False

    @admin.display(description=gettext_lazy("contract"), ordering="claim__affected__contract__number")
    def contract_column(self, obj):
        return admin_link(obj.claim.affected.contract, obj.claim.affected.contract.number)

    @admin.display(description=gettext_lazy("customer"))
    def customer_column(self, obj):
        return admin_link(obj.claim.affected.contract.customer)

    @admin.display(description=gettext_lazy("credit (yen)"))
    def total(self, obj):
        return yen(obj.amount)
