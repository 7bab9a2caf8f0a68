"""Outages with the contracts they hit, and the credits granted on claims, read (the quality guarantee)."""

from datetime import datetime, time

from django.db.models import Prefetch
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from backoffice.dates import local_day
from backoffice.months import Month
from sla.models import AffectedContract, Credit, CreditStatus, Outage
from sla.services.months import month_of

from .base import FilterSet, ReadViewSet
from .invoices import MonthFilter


class AffectedContractSerializer(serializers.ModelSerializer):
    contract_number = serializers.CharField(source="contract.number", read_only=True)

    class Meta:
        model = AffectedContract
        fields = [
            "id",
            "contract",
            "contract_number",
            "monthly_fee",
            "availability_credit",
            "notification_credit",
            "availability_deadline",
            "notification_deadline",
            "excluded",
            "exclusion_reason",
            "exclusion_note",
        ]


class OutageSerializer(serializers.ModelSerializer):
    duration_seconds = serializers.SerializerMethodField()
    affected = AffectedContractSerializer(many=True, read_only=True)

    class Meta:
        model = Outage
        fields = [
            "id",
            "started_at",
            "ended_at",
            "duration_seconds",
            "state",
            "origin",
            "detected_started_at",
            "detected_ended_at",
            "adjustment_reason",
            "cause",
            "excluded",
            "exclusion_reason",
            "exclusion_note",
            "affected",
        ]

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_duration_seconds(self, outage) -> int | None:
        """Empty while the outage goes on."""
        return None if outage.duration is None else int(outage.duration.total_seconds())


class OutageFilter(FilterSet):
    """The admin's outage filters (excluded, reason, start date) and its search (cause, contract, customer)."""

    started_after = filters.DateFilter(field_name="started_at", lookup_expr="date__gte")
    started_before = filters.DateFilter(field_name="started_at", lookup_expr="date__lte")
    cause = filters.CharFilter(lookup_expr="icontains")
    contract_number = filters.CharFilter(field_name="contracts__number", distinct=True)
    customer_name = filters.CharFilter(field_name="contracts__customer__name", lookup_expr="icontains", distinct=True)

    class Meta:
        model = Outage
        fields = ["excluded", "exclusion_reason", "state", "origin"]


class OutageViewSet(ReadViewSet):
    queryset = Outage.objects.prefetch_related(
        Prefetch("affected", queryset=AffectedContract.objects.select_related("contract").order_by("contract__number"))
    )
    serializer_class = OutageSerializer
    filterset_class = OutageFilter


class CreditSerializer(serializers.ModelSerializer):
    contract = serializers.IntegerField(source="claim.affected.contract_id", read_only=True)
    contract_number = serializers.CharField(source="claim.affected.contract.number", read_only=True)
    customer = serializers.IntegerField(source="claim.affected.contract.customer_id", read_only=True)
    outage = serializers.IntegerField(source="claim.affected.outage_id", read_only=True)
    month = serializers.SerializerMethodField()
    amount = serializers.IntegerField(read_only=True)
    invoiced = serializers.SerializerMethodField()

    class Meta:
        model = Credit
        fields = [
            "id",
            "claim",
            "contract",
            "contract_number",
            "customer",
            "outage",
            "month",
            "availability_amount",
            "notification_amount",
            "amount",
            "granted_on",
            "status",
            "invoiced",
            "invoice_number",
            "invoiced_on",
        ]

    @extend_schema_field(serializers.CharField(help_text="YYYY-MM"))
    def get_month(self, credit) -> str:
        """The month in Japan of the outage it credits: the monthly cap counts per contract and per this month."""
        return str(Month.of(local_day(credit.claim.affected.outage.started_at)))

    @extend_schema_field(serializers.BooleanField())
    def get_invoiced(self, credit) -> bool:
        return credit.status == CreditStatus.INVOICED


class CreditFilter(FilterSet):
    """The admin's credit filters (status, grant date) and its search (contract, customer, invoice number)."""

    granted_after = filters.DateFilter(field_name="granted_on", lookup_expr="gte")
    granted_before = filters.DateFilter(field_name="granted_on", lookup_expr="lte")
    contract_number = filters.CharFilter(field_name="claim__affected__contract__number")
    customer_name = filters.CharFilter(field_name="claim__affected__contract__customer__name", lookup_expr="icontains")
    invoice_number = filters.CharFilter()
    month = MonthFilter(method="in_month", help_text="YYYY-MM: the month of the outage credited.")

    class Meta:
        model = Credit
        fields = ["status"]

    def in_month(self, rows, name, value):
        first, after = month_of(datetime.combine(value.first_day, time()))
        return rows.filter(
            claim__affected__outage__started_at__gte=first, claim__affected__outage__started_at__lt=after
        )


class CreditViewSet(ReadViewSet):
    queryset = Credit.objects.select_related("claim__affected__contract", "claim__affected__outage")
    serializer_class = CreditSerializer
    filterset_class = CreditFilter


ROUTES = [("outages", OutageViewSet), ("credits", CreditViewSet)]
