"""Receivables: payments received with their allocations (消込), what each issued invoice still owes, the bank
files; a payment recorded by hand and a bank file's import started, through the services the admin uses."""

from django.db.models import F, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema_field
from rest_framework import serializers
from rest_framework.parsers import MultiPartParser

from backoffice.forms import check_upload_size
from backoffice.names import key
from receivables import selectors
from receivables.models import (
    Allocation,
    BankFile,
    FileFormat,
    InvoiceState,
    Payment,
    PaymentState,
    Receivable,
)
from receivables.services.bank_import_job import import_later
from receivables.services.payments import record_payment

from .base import FilterSet, IntegerFilter, ReadViewSet, act, answer
from .invoices import CustomerRefSerializer, MonthFilter, month_text
from .jobs import FormBoolean, JobSerializer, started


class AllocationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Allocation
        fields = ["id", "kind", "invoice", "customer", "amount", "booked_on", "created_at", "undone_at", "undo_reason"]


class PaymentSerializer(serializers.ModelSerializer):
    customer = CustomerRefSerializer(allow_null=True, help_text="Who paid, once the payment is matched.")
    unallocated = serializers.IntegerField(help_text="What is left to match (yen).")
    state = serializers.ChoiceField(choices=PaymentState.choices)
    allocations = AllocationSerializer(many=True, help_text="Its matches, undone ones included.")

    class Meta:
        model = Payment
        fields = [
            "id",
            "source",
            "bank_file",
            "row",
            "account",
            "bank_reference",
            "received_on",
            "value_on",
            "amount",
            "payer_name",
            "payer_code",
            "customer",
            "allocated",
            "unallocated",
            "state",
            "taken_back",
            "note",
            "created_at",
            "allocations",
        ]


class NewPaymentSerializer(serializers.Serializer):
    """A payment received outside a bank file; the rules of its values are the service's (refused as 422)."""

    received_on = serializers.DateField()
    amount = serializers.IntegerField(help_text="Yen.")
    payer_name = serializers.CharField(allow_blank=True, help_text="As the bank wrote it (振込依頼人名).")
    bank_reference = serializers.CharField(allow_blank=True, default="")
    note = serializers.CharField(allow_blank=True, default="")


class PaymentFilter(FilterSet):
    matched = filters.ChoiceFilter(
        choices=[("open", "open"), ("done", "done")],
        method="by_match",
        help_text="open: money left to match (not taken back by the bank); done: matched in full.",
    )
    received_after = filters.DateFilter(field_name="received_on", lookup_expr="gte")
    received_before = filters.DateFilter(field_name="received_on", lookup_expr="lte")
    amount_min = IntegerFilter(field_name="amount", lookup_expr="gte")
    amount_max = IntegerFilter(field_name="amount", lookup_expr="lte")
    payer = filters.CharFilter(
        method="by_payer", help_text="Part of the payer's name (any width of kana), a bank reference, a customer."
    )

    class Meta:
        model = Payment
        fields = ["source", "customer", "bank_file"]

    def by_match(self, queryset, name, value):
        return queryset.unmatched() if value == "open" else queryset.filter(allocated=F("amount"))

    def by_payer(self, queryset, name, value):
        found = (
            Q(payer_name__icontains=value)
            | Q(bank_reference=value)
            | Q(customer__code=value)
            | Q(customer__name__icontains=value)
        )
        normalised = key(value)  # the payer's name as matching compares it: ｶ) and カブシキガイシャ alike
        return queryset.filter(found | Q(payer_key__contains=normalised) if normalised else found)


class PaymentViewSet(ReadViewSet):
    queryset = Payment.objects.select_related("customer").prefetch_related(
        Prefetch("allocations", queryset=Allocation.objects.order_by("pk"))
    )
    serializer_class = PaymentSerializer
    filterset_class = PaymentFilter

    @act("receivables.add_payment", request=NewPaymentSerializer, responses={201: PaymentSerializer})
    def create(self, request):
        """Record a payment staff received (cash, a cheque, a transfer read off the account), as the admin does."""
        given = NewPaymentSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        payment = record_payment(**given.validated_data, by=request.user)
        response = answer(self, self.get_queryset().get(pk=payment.pk), status=201)
        response["Location"] = reverse("api:payments-detail", args=[payment.pk])
        return response


class BalanceSerializer(serializers.ModelSerializer):
    customer = CustomerRefSerializer()
    month = serializers.SerializerMethodField()
    settled = serializers.IntegerField(help_text="What its payments, transfer fees and credits applied settle (yen).")
    balance = serializers.IntegerField(help_text="What is still owed (yen); negative when overpaid.")
    payment_state = serializers.ChoiceField(choices=InvoiceState.choices)
    days_overdue = serializers.SerializerMethodField()

    class Meta:
        model = Receivable
        fields = ["id", "number", "customer", "customer_name", "month", "issued_on", "due_on", "total", "settled",
                  "balance", "payment_state", "days_overdue"]  # fmt: skip

    @extend_schema_field(serializers.CharField(help_text="The billing month, YYYY-MM."))
    def get_month(self, invoice) -> str:
        return month_text(invoice)

    @extend_schema_field(serializers.IntegerField(allow_null=True, help_text="Days past due with something owed."))
    def get_days_overdue(self, invoice) -> int | None:
        days = (timezone.localdate() - invoice.due_on).days
        return days if days > 0 and invoice.balance > 0 else None


class BalanceFilter(FilterSet):
    payment_state = filters.ChoiceFilter(choices=InvoiceState.choices)
    overdue = filters.BooleanFilter(method="by_overdue", help_text="Past due with something owed.")
    month = MonthFilter(field_name="month__month", help_text="The billing month, YYYY-MM.")
    customer_code = filters.CharFilter(field_name="customer__code")
    issued_after = filters.DateFilter(field_name="issued_on", lookup_expr="gte")
    issued_before = filters.DateFilter(field_name="issued_on", lookup_expr="lte")
    total_min = IntegerFilter(field_name="total", lookup_expr="gte")
    total_max = IntegerFilter(field_name="total", lookup_expr="lte")

    class Meta:
        model = Receivable
        fields = ["customer", "number"]

    def by_overdue(self, queryset, name, value):
        past_due = Q(due_on__lt=timezone.localdate(), balance__gt=0)
        return queryset.filter(past_due) if value else queryset.exclude(past_due)


class BalanceViewSet(ReadViewSet):
    """Each issued invoice with what it still owes, as the admin's receivables list (売掛金) shows it."""

    queryset = Receivable.objects.all()
    serializer_class = BalanceSerializer
    filterset_class = BalanceFilter

    def get_queryset(self):
        return selectors.with_balance(Receivable.objects.filter(number__isnull=False)).select_related(
            "customer", "month"
        )


class BankFileSerializer(serializers.ModelSerializer):
    class Meta:
        model = BankFile
        fields = ["id", "name", "format", "account", "payments_count", "payments_total", "imported_at",
                  "imported_by", "sha256"]  # fmt: skip


class BankFileUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        validators=[check_upload_size], help_text="全銀協 振込入金通知 or 入出金取引明細 (200-byte records), or a CSV."
    )
    dry_run = FormBoolean(default=True, help_text="Check every record and write nothing.")


class BankFileFilter(FilterSet):
    file_format = filters.ChoiceFilter(field_name="format", choices=FileFormat.choices)  # ?format= picks a renderer
    imported_after = filters.DateFilter(field_name="imported_at", lookup_expr="date__gte")
    imported_before = filters.DateFilter(field_name="imported_at", lookup_expr="date__lte")

    class Meta:
        model = BankFile
        fields = ["name", "sha256"]


class BankFileViewSet(ReadViewSet):
    queryset = BankFile.objects.defer("content")
    serializer_class = BankFileSerializer
    filterset_class = BankFileFilter
    parser_classes = [MultiPartParser]

    @act(
        "receivables.add_bankfile",
        request=BankFileUploadSerializer,
        responses={202: OpenApiResponse(JobSerializer, description="The import runs as this job.")},
    )
    def create(self, request):
        """Import a bank file in the background, as the admin's upload does: every record checked (one refused
        record writes nothing), then the payments matched; the job reports each record."""
        given = BankFileUploadSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        upload = given.validated_data["file"]
        dry_run = given.validated_data["dry_run"]
        return started(import_later(upload.name, upload.read(), by=request.user, dry_run=dry_run))


ROUTES = [("payments", PaymentViewSet), ("balances", BalanceViewSet), ("bank-files", BankFileViewSet)]
