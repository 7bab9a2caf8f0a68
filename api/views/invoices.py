"""Invoices with their lines and taxes, read as the admin shows them (an open invoice's figures are its running
estimate), with what each issued one still owes; an issued invoice's PDF, the very bytes that were sent."""

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import renderers, serializers
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from backoffice.months import MonthField
from billing import invoice_pdf
from billing.api import running_figures
from billing.models import Invoice, InvoiceDocument, InvoiceLine, MonthState
from customers.models import Customer
from receivables import selectors
from receivables.models import InvoiceState

from .base import FilterSet, ReadViewSet

#: Who reads what an invoice still owes: receivables' readers (billing, the auditor), as in the admin.
READS_BALANCES = "receivables.view_receivable"


class CustomerRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Customer
        fields = ["id", "code"]


class InvoiceLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = InvoiceLine
        fields = [
            "id",
            "occurred_on",
            "kind",
            "description",
            "service_code",
            "contract",
            "quantity",
            "unit_price",
            "amount",
            "tax_rate",
            "adjusts",
            "reason",
        ]


class TaxSerializer(serializers.Serializer):
    rate = serializers.IntegerField(help_text="Tax rate (%).")
    taxable = serializers.IntegerField(help_text="Amount before tax of this rate (yen).")
    tax = serializers.IntegerField(help_text="Consumption tax of this rate, rounded down once per rate (yen).")


#: The texts ``MonthField`` reads: YYYY-MM (or YYYY-M) within the years the product accepts
#: (``backoffice.dates``: 1900 to 2099), so that a client knows the filter takes a month, not a date.
MONTH_PATTERN = r"^(19|20)[0-9]{2}-(0?[1-9]|1[0-2])$"


class MonthFilter(filters.Filter):
    """A month written YYYY-MM: the rows of that month (the billing month; a ``method`` may say otherwise)."""

    field_class = MonthField

    def __init__(self, *args, help_text: str, **kwargs):
        super().__init__(*args, help_text=help_text, **kwargs)
        extend_schema_field({"type": "string", "pattern": MONTH_PATTERN, "description": help_text})(self)

    def filter(self, qs, value):
        return qs if value is None else qs.filter(**{self.field_name: value.first_day})


def month_text(invoice) -> str:
    return f"{invoice.month.month:%Y-%m}"


class InvoiceSerializer(serializers.ModelSerializer):
    customer = CustomerRefSerializer()
    month = serializers.SerializerMethodField()
    month_state = serializers.CharField(source="month.state")
    estimate = serializers.SerializerMethodField()
    subtotal = serializers.SerializerMethodField()
    tax = serializers.SerializerMethodField()
    total = serializers.SerializerMethodField()
    taxes = serializers.SerializerMethodField()
    lines = InvoiceLineSerializer(many=True)
    balance = serializers.SerializerMethodField()
    payment_state = serializers.SerializerMethodField()
    pdf = serializers.SerializerMethodField()

    class Meta:
        model = Invoice
        fields = [
            "id",
            "number",
            "customer",
            "customer_name",
            "month",
            "month_state",
            "issued_on",
            "due_on",
            "period_start",
            "period_end",
            "issuer_name",
            "issuer_registration_number",
            "estimate",
            "subtotal",
            "tax",
            "total",
            "taxes",
            "lines",
            "balance",
            "payment_state",
            "pdf",
        ]

    @extend_schema_field(serializers.CharField(help_text="The billing month, YYYY-MM."))
    def get_month(self, invoice) -> str:
        return month_text(invoice)

    @extend_schema_field(
        serializers.BooleanField(help_text="Not issued yet: the figures are what closing would issue if it ran now.")
    )
    def get_estimate(self, invoice) -> bool:
        return invoice.number is None

    @staticmethod
    def _running(invoice):
        return running_figures(invoice.lines.all()) if invoice.number is None else None

    @extend_schema_field(serializers.IntegerField(help_text="Amount before tax (yen)."))
    def get_subtotal(self, invoice) -> int:
        running = self._running(invoice)
        return running.subtotal if running else invoice.subtotal

    @extend_schema_field(serializers.IntegerField(help_text="Consumption tax (yen)."))
    def get_tax(self, invoice) -> int:
        running = self._running(invoice)
        return running.tax if running else invoice.tax

    @extend_schema_field(serializers.IntegerField(help_text="Amount billed, tax included (yen)."))
    def get_total(self, invoice) -> int:
        running = self._running(invoice)
        return running.total if running else invoice.total

    @extend_schema_field(TaxSerializer(many=True))
    def get_taxes(self, invoice) -> list[dict]:
        running = self._running(invoice)
        if running is None:
            return TaxSerializer(invoice.taxes.all(), many=True).data
        return [{"rate": r, "taxable": t, "tax": tax} for r, (t, tax) in sorted(running.taxes.items(), reverse=True)]

    def _reads_balance(self, invoice) -> bool:
        return invoice.number is not None and self.context["request"].user.has_perm(READS_BALANCES)

    @extend_schema_field(
        serializers.IntegerField(
            allow_null=True,
            help_text="What is still owed (yen; negative when overpaid): null before issue, or when the token's "
            "user may not read receivables.",
        )
    )
    def get_balance(self, invoice) -> int | None:
        return invoice.balance if self._reads_balance(invoice) else None

    @extend_schema_field(serializers.ChoiceField(choices=InvoiceState.choices, allow_null=True))
    def get_payment_state(self, invoice) -> str | None:
        return invoice.payment_state if self._reads_balance(invoice) else None

    @extend_schema_field(
        serializers.CharField(allow_null=True, help_text="The stored PDF's address, once it is rendered.")
    )
    def get_pdf(self, invoice) -> str | None:
        return f"/api/v1/invoices/{invoice.pk}/pdf" if invoice.has_document else None


class InvoiceFilter(FilterSet):
    month = MonthFilter(field_name="month__month", help_text="The billing month, YYYY-MM.")
    month_state = filters.ChoiceFilter(field_name="month__state", choices=MonthState.choices)
    issued = filters.BooleanFilter(field_name="number", lookup_expr="isnull", exclude=True)
    customer_code = filters.CharFilter(field_name="customer__code")
    customer_name = filters.CharFilter(method="name_contains", help_text="Part of the customer's name.")
    issued_after = filters.DateFilter(field_name="issued_on", lookup_expr="gte")
    issued_before = filters.DateFilter(field_name="issued_on", lookup_expr="lte")
    due_after = filters.DateFilter(field_name="due_on", lookup_expr="gte")
    due_before = filters.DateFilter(field_name="due_on", lookup_expr="lte")

    class Meta:
        model = Invoice
        fields = ["customer", "number"]

    def name_contains(self, queryset, name, value):
        return queryset.filter(Q(customer__name__icontains=value) | Q(customer_name__icontains=value))


class PdfRenderer(renderers.BaseRenderer):
    """The stored PDF's bytes as they are; a refusal on the way (a problem) as JSON."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return renderers.JSONRenderer().render(data, renderer_context=renderer_context)


class InvoiceViewSet(ReadViewSet):
    queryset = Invoice.objects.all()
    serializer_class = InvoiceSerializer
    filterset_class = InvoiceFilter

    def get_queryset(self):
        if self.action == "pdf":
            return Invoice.objects.all()
        rendered = InvoiceDocument.objects.filter(invoice=OuterRef("pk"))
        return (
            selectors.with_balance(Invoice.objects.select_related("customer", "month"))
            .annotate(has_document=Exists(rendered))
            .prefetch_related("lines", "taxes")
        )

    @extend_schema(
        summary="The invoice's PDF as it was issued and sent",
        responses={
            (200, "application/pdf"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The stored PDF, never rendered again."
            )
        },
    )
    @action(detail=True, renderer_classes=[PdfRenderer], filter_backends=[])
    def pdf(self, request, pk=None):
        """The bytes billing stored at issue; a PDF that no longer matches its checksum is refused by
        ``billing.invoice_pdf`` (a server error, logged), as the admin refuses to show it."""
        invoice = self.get_object()
        document = InvoiceDocument.objects.filter(invoice=invoice).values_list("pk", flat=True).first()
        if document is None:
            raise NotFound(
                _("Written when the month closes.")
                if invoice.number is None
                else _("The document is not rendered yet: try again in a moment.")
            )
        stored = invoice_pdf.read(document)
        return Response(
            stored.content,
            content_type=stored.mimetype,
            headers={"Content-Disposition": f'attachment; filename="{stored.filename}"'},
        )

    pdf.permission = "billing.view_invoicedocument"


ROUTES = [("invoices", InvoiceViewSet)]
