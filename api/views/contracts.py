"""Contracts and their options: read with their dates, frozen terms, attributes and prices in force; applied for
and moved through their lifecycle by the services the admin's actions call, under the permissions they check."""

from dataclasses import replace

from django.db import models
from django.db.models import Prefetch
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import action

from backoffice.moves import save_audited
from backoffice.ranges import YEN
from contracts.api import CONTRACT_PRICES, OPTION_PRICES
from contracts.choices import LIVE_STATUSES, STAFF_TERMINATION_REASONS, ServiceCode, TerminationReason
from contracts.models import ATTRIBUTES, CONTRACT_TRACKED, OPTION_ATTRIBUTES, OPTION_TRACKED, Contract, ContractOption
from contracts.selectors import price_schedule, price_schedules
from contracts.services import changes, lifecycle
from customers.choices import CustomerKind
from customers.models import Customer

from ..fields import DayField
from .base import IF_MATCH, FilterSet, KeyFilter, ReadViewSet, act, answer, locked_for_update

# Read


class CustomerReference(serializers.ModelSerializer):
    class Meta:
        model = Customer
        fields = read_only_fields = ["id", "code"]


class ContractReference(serializers.ModelSerializer):
    class Meta:
        model = Contract
        fields = read_only_fields = ["id", "number"]


class CatalogReference(serializers.Serializer):
    """An item or an option kind: its code and its name in the request's language."""

    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


class DatesSerializer(serializers.Serializer):
    """The lifecycle's dates: entered by the actions, the minimum-period end and the effective end computed
    from the frozen terms."""

    applied_on = serializers.DateField(read_only=True)
    accepted_on = serializers.DateField(read_only=True, allow_null=True)
    billing_start_on = serializers.DateField(read_only=True, allow_null=True)
    min_period_start_on = serializers.DateField(read_only=True, allow_null=True)
    min_period_end_on = serializers.DateField(read_only=True, allow_null=True)
    notice_received_on = serializers.DateField(read_only=True, allow_null=True)
    requested_end_on = serializers.DateField(read_only=True, allow_null=True)
    effective_end_on = serializers.DateField(read_only=True, allow_null=True)
    terminated_on = serializers.DateField(read_only=True, allow_null=True)


def read_only(name: str, model, names, doc: str) -> type[serializers.ModelSerializer]:
    """A serializer of some of ``model``'s columns, read-only: a group of a row's fields nested under a name."""
    meta = type("Meta", (), {"model": model, "fields": list(names), "read_only_fields": list(names)})
    return type(name, (serializers.ModelSerializer,), {"Meta": meta, "__doc__": doc})


FROZEN = "The terms frozen at acceptance (empty before): later catalog edits never change them."
ContractTerms = read_only("ContractTerms", Contract, Contract.FROZEN_TERMS, FROZEN)
OptionTerms = read_only("OptionTerms", ContractOption, ContractOption.FROZEN_TERMS, FROZEN)
ATTRIBUTES_DOC = "The attributes of its service (those of other services are empty)."
ContractAttributes = read_only("ContractAttributes", Contract, ATTRIBUTES, ATTRIBUTES_DOC)
OptionAttributes = read_only(
    "OptionAttributes", ContractOption, (*OPTION_ATTRIBUTES, "applied_with_parent"), ATTRIBUTES_DOC
)


class ContractPrices(serializers.Serializer):
    valid_from = serializers.DateField(read_only=True)
    item = serializers.CharField(source="item_id", read_only=True)
    item_name = serializers.CharField(read_only=True)
    monthly_fee = serializers.IntegerField(read_only=True)
    change_fee = serializers.IntegerField(read_only=True)
    line_fee = serializers.IntegerField(read_only=True)
    bandwidth_fee = serializers.IntegerField(read_only=True)


class OptionPrices(serializers.Serializer):
    valid_from = serializers.DateField(read_only=True)
    monthly_fee = serializers.IntegerField(read_only=True)
    change_fee = serializers.IntegerField(read_only=True)
    cancellation_fee = serializers.IntegerField(read_only=True)


class Schedules(serializers.ListSerializer):
    """A page of rows: the prices in force of all of them read at once."""

    def to_representation(self, data):
        rows = list(data)
        self.context["schedules"] = price_schedules(rows)
        return super().to_representation(rows)


class Reason(serializers.ChoiceField):
    """Why a row ended, or null while it has not (the column keeps "" then)."""

    def to_representation(self, value):
        return value or None


class LifecycleSerializer(serializers.ModelSerializer):
    """What contracts and options show alike: their state, dates, frozen terms and prices in force."""

    dates = DatesSerializer(source="*", read_only=True)
    termination_reason = Reason(choices=TerminationReason.choices, allow_null=True, read_only=True)

    class Meta:
        list_serializer_class = Schedules

    def prices_of(self, row) -> list:
        """Each price agreed, from its first day (none before acceptance); a page reads them in one query."""
        if row.accepted_on is None:
            return []
        schedule = self.context.get("schedules", {}).get(row.pk) or price_schedule(row)
        return [replace(prices, valid_from=prices.valid_from or row.accepted_on) for prices in schedule.agreed]


class OptionRow(serializers.ModelSerializer):
    kind = serializers.CharField(source="kind_id", read_only=True)

    class Meta:
        model = ContractOption
        fields = read_only_fields = ["id", "kind", "status"]


class ContractSerializer(LifecycleSerializer):
    customer = CustomerReference(read_only=True)
    item = CatalogReference(read_only=True)
    terms = ContractTerms(source="*", read_only=True)
    attributes = ContractAttributes(source="*", read_only=True)
    prices = serializers.SerializerMethodField()
    options = OptionRow(many=True, read_only=True)

    class Meta(LifecycleSerializer.Meta):
        model = Contract
        fields = [
            "id",
            "number",
            "status",
            "customer",
            "service",
            "item",
            "dates",
            "termination_reason",
            "terms",
            "attributes",
            "prices",
            "options",
            "note",
        ]
        read_only_fields = fields

    @extend_schema_field(ContractPrices(many=True))
    def get_prices(self, row):
        return ContractPrices(self.prices_of(row), many=True).data


class OptionSerializer(LifecycleSerializer):
    contract = ContractReference(read_only=True)
    customer = CustomerReference(source="contract.customer", read_only=True)
    kind = CatalogReference(read_only=True)
    terms = OptionTerms(source="*", read_only=True)
    attributes = OptionAttributes(source="*", read_only=True)
    prices = serializers.SerializerMethodField()

    class Meta(LifecycleSerializer.Meta):
        model = ContractOption
        fields = [
            "id",
            "contract",
            "customer",
            "kind",
            "status",
            "dates",
            "termination_reason",
            "terms",
            "attributes",
            "prices",
            "note",
        ]
        read_only_fields = fields

    @extend_schema_field(OptionPrices(many=True))
    def get_prices(self, row):
        return OptionPrices(self.prices_of(row), many=True).data


class LifecycleFilter(FilterSet):
    """The admin's filters of both lists: status, live or not, and the dates of the lifecycle."""

    live = filters.BooleanFilter(method="filter_live")
    applied_after = filters.DateFilter(field_name="applied_on", lookup_expr="gte")
    applied_before = filters.DateFilter(field_name="applied_on", lookup_expr="lte")
    billing_start_after = filters.DateFilter(field_name="billing_start_on", lookup_expr="gte")
    billing_start_before = filters.DateFilter(field_name="billing_start_on", lookup_expr="lte")
    effective_end_after = filters.DateFilter(field_name="effective_end_on", lookup_expr="gte")
    effective_end_before = filters.DateFilter(field_name="effective_end_on", lookup_expr="lte")

    def filter_live(self, queryset, name, value):
        return queryset.filter(status__in=LIVE_STATUSES) if value else queryset.exclude(status__in=LIVE_STATUSES)


class ContractFilter(LifecycleFilter):
    """The catalog's rows are named by their codes (``service=cxm2``, ``item=cxm2.1g``), as the admin shows them."""

    service = filters.ChoiceFilter(choices=ServiceCode.choices)
    item = filters.CharFilter()
    customer_code = filters.CharFilter(field_name="customer__code")
    customer_name = filters.CharFilter(field_name="customer__name", lookup_expr="icontains")
    customer_kind = filters.ChoiceFilter(field_name="customer__kind", choices=CustomerKind.choices)
    number = filters.CharFilter()
    closed_network = filters.CharFilter()

    class Meta:
        model = Contract
        fields = ["status", "customer", "application_type"]


class OptionFilter(LifecycleFilter):
    """An option kind is named by its code (``kind=cxm2.napt``), its service too."""

    kind = filters.CharFilter()
    service = filters.ChoiceFilter(field_name="kind__service", choices=ServiceCode.choices)
    customer = KeyFilter(field_name="contract__customer")
    customer_code = filters.CharFilter(field_name="contract__customer__code")
    customer_name = filters.CharFilter(field_name="contract__customer__name", lookup_expr="icontains")
    customer_kind = filters.ChoiceFilter(field_name="contract__customer__kind", choices=CustomerKind.choices)

    class Meta:
        model = ContractOption
        fields = ["status", "contract"]


# Write


def valid(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def yen(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(validators=YEN.validators, **kwargs)


class Input(serializers.ModelSerializer):
    """A request's columns of a model: its dates are days the product accepts, as the schema says."""

    serializer_field_mapping = {**serializers.ModelSerializer.serializer_field_mapping, models.DateField: DayField}


class Application(Input):
    """An application, as the admin's add page takes it: the rules check it when it is saved."""

    applied_on = DayField(default=timezone.localdate)

    class Meta:
        validators = []  # the model's own (its ``full_clean``) decide, as for the admin's form


class ContractApplication(Application):
    class Meta(Application.Meta):
        model = Contract
        fields = ["number", "customer", "service", "item", "applied_on", "note", *ATTRIBUTES]
        extra_kwargs = {"service": {"required": False, "help_text": "Empty: the item's."}}

    def validate(self, data):
        """The item's service unless given, as the admin's form takes it (a rule refuses another)."""
        if data.get("item") and not data.get("service"):
            data["service"] = data["item"].service
        return data


class OptionApplication(Application):
    class Meta(Application.Meta):
        model = ContractOption
        fields = ["contract", "kind", "applied_on", "applied_with_parent", "note", *OPTION_ATTRIBUTES]


class Acceptance(serializers.Serializer):
    on = DayField()
    initial_fee = yen(required=False, allow_null=True, help_text="Agreed; empty: the list price.")
    monthly_fee = yen(required=False, allow_null=True, help_text="Agreed; empty: the list price.")


class OnDay(serializers.Serializer):
    on = DayField()


class Notice(serializers.Serializer):
    received_on = DayField()
    requested_on = DayField(required=False, allow_null=True, help_text="The end the customer asked for.")


class Termination(serializers.Serializer):
    on = DayField()
    reason = serializers.ChoiceField(
        choices=[(reason.value, reason.label) for reason in STAFF_TERMINATION_REASONS],
        default=TerminationReason.CUSTOMER_REQUEST,
    )
    note = serializers.CharField(required=False, default="", allow_blank=True, help_text="Kept in the history.")


def change_request(label: str, model, tracked: tuple[str, ...], fixed: str, components: tuple[str, ...]) -> type:
    """The request of a change of ``model``: the day, the fee and prices agreed, and the tracked attributes it
    changes (not ``fixed``, which the admin keeps for life)."""
    names = [name.removesuffix("_id") for name in tracked if name != fixed and name != "service_id"]
    changed = type(
        f"{label}Changes",
        (Input,),
        {
            "Meta": type(
                "Meta",
                (),
                {
                    "model": model,
                    "fields": names,
                    "extra_kwargs": {name: {"required": False} for name in names},
                    "validators": [],
                },
            ),
            "__doc__": "The attributes the change sets; those not given stay.",
        },
    )
    prices = type(
        f"{label}AgreedPrices",
        (serializers.Serializer,),
        {
            **{name: yen(required=False, allow_null=True) for name in components},
            "__doc__": "Prices agreed with the change, from its day; a new item brings its list prices otherwise.",
        },
    )
    return type(
        f"{label}Change",
        (serializers.Serializer,),
        {
            "on": DayField(help_text="The day the change was accepted; its fee arises that day."),
            "fee": yen(required=False, allow_null=True, help_text="The change fee; empty: the one in force."),
            "note": serializers.CharField(required=False, default="", allow_blank=True),
            "prices": prices(required=False),
            "changes": changed(),
        },
    )


def lifecycle_view_set(model, serializer, application, change_asked) -> type:
    """A view set of ``model`` (contracts or options) with its lifecycle actions, each under the permission the
    admin's action checks (``contracts.<action>_<model>``), each through the service that action calls."""
    name = model._meta.model_name

    def on_row(verb: str, asked):
        """An action on one row: under ``If-Match``, answering the row as it ends."""
        return act(f"contracts.{verb}_{name}", parameters=[IF_MATCH], request=asked, responses=serializer)

    class LifecycleViewSet(ReadViewSet):
        serializer_class = serializer

        @act(f"contracts.add_{name}", request=application, responses={201: serializer})
        def create(self, request):
            """Apply: the row is recorded as applied when the rules accept it."""
            row = model(**valid(application, request))
            save_audited(row, by=request.user, reason="")
            row = self.get_queryset().get(pk=row.pk)
            response = answer(self, row, status=201)
            response["Location"] = self.reverse_action("detail", args=[row.pk])
            return response

        @on_row("accept", Acceptance)
        @action(detail=True, methods=["post"])
        def accept(self, request, pk=None):
            """Accept the application: the catalog's terms and the agreed fees are frozen on it."""
            data = valid(Acceptance, request)
            row = locked_for_update(self, request)
            lifecycle.accept(row, by=request.user, **data)
            return answer(self, row)

        @on_row("start_billing", OnDay)
        @action(detail=True, methods=["post"], url_path="start-billing")
        def start_billing(self, request, pk=None):
            """Start billing: monthly fees and the minimum period run from that day."""
            data = valid(OnDay, request)
            row = locked_for_update(self, request)
            lifecycle.start_billing(row, by=request.user, **data)
            return answer(self, row)

        @on_row("accept_change", change_asked)
        @action(detail=True, methods=["post"], url_path="change")
        def change(self, request, pk=None):
            """Accept a change of a live row: each attribute changed is recorded with its fee, and prices agreed
            hold from its day."""
            data = valid(change_asked, request)
            row = locked_for_update(self, request)
            changes.accept_change(
                row,
                on=data["on"],
                by=request.user,
                note=data["note"],
                fee=data.get("fee"),
                prices=data.get("prices"),
                **data["changes"],
            )
            return answer(self, row)

        @on_row("register_notice", Notice)
        @action(detail=True, methods=["post"])
        def notice(self, request, pk=None):
            """Register a cancellation notice: the effective end follows from the frozen notice days."""
            data = valid(Notice, request)
            row = locked_for_update(self, request)
            lifecycle.register_notice(row, by=request.user, **data)
            return answer(self, row)

        @on_row("register_notice", None)
        @action(detail=True, methods=["post"], url_path="withdraw-notice")
        def withdraw_notice(self, request, pk=None):
            """Withdraw the cancellation notice before it takes effect."""
            row = locked_for_update(self, request)
            lifecycle.withdraw_notice(row, by=request.user)
            return answer(self, row)

        @on_row("withdraw", None)
        @action(detail=True, methods=["post"])
        def withdraw(self, request, pk=None):
            """Withdraw an application that is never accepted."""
            row = locked_for_update(self, request)
            lifecycle.withdraw(row, by=request.user)
            return answer(self, row)

        @on_row("terminate", Termination)
        @action(detail=True, methods=["post"])
        def terminate(self, request, pk=None):
            """End the row on a day; a contract's options, children and the contracts the terms end with it end
            too."""
            data = valid(Termination, request)
            row = locked_for_update(self, request)
            lifecycle.terminate(row, by=request.user, **data)
            return answer(self, row)

    return LifecycleViewSet


class ContractViewSet(
    lifecycle_view_set(
        Contract,
        ContractSerializer,
        ContractApplication,
        change_request("Contract", Contract, CONTRACT_TRACKED, "customer_id", CONTRACT_PRICES),
    )
):
    queryset = Contract.objects.select_related("customer", "item").prefetch_related(
        Prefetch("options", queryset=ContractOption.objects.order_by("pk"))
    )
    filterset_class = ContractFilter


class OptionViewSet(
    lifecycle_view_set(
        ContractOption,
        OptionSerializer,
        OptionApplication,
        change_request("Option", ContractOption, OPTION_TRACKED, "contract_id", OPTION_PRICES),
    )
):
    queryset = ContractOption.objects.select_related("contract__customer", "kind")
    filterset_class = OptionFilter


ROUTES = [("contracts", ContractViewSet), ("options", OptionViewSet)]
