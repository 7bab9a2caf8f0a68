"""Rented units, read with their moves, and moved through the admin's moves (``equipment.services``), each
under ``If-Match`` with the permission the admin's actions need (``equipment.move_unit``)."""

from django.db.models import Q
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import action

from backoffice.ranges import YEN
from contracts import selectors as contracts
from equipment import selectors
from equipment.choices import IncidentKind, ReturnCondition
from equipment.models import Unit, UnitEvent, UnitModel
from equipment.services import incidents, units

from ..fields import DayField
from .base import IF_MATCH, FilterSet, ReadViewSet, act, answer, locked_for_update

#: The admin's unit actions all need it (``equipment.admin.actions``).
MOVE = "equipment.move_unit"


class UnitModelSerializer(serializers.ModelSerializer):
    class Meta:
        model = UnitModel
        fields = ["id", "code", "maker", "name", "accessories"]


class UnitSerializer(serializers.ModelSerializer):
    unit_model = UnitModelSerializer()
    contract_number = serializers.SerializerMethodField()
    customer = serializers.SerializerMethodField()
    return_article = serializers.CharField(read_only=True)

    class Meta:
        model = Unit
        fields = [
            "id",
            "serial",
            "unit_model",
            "acquired_on",
            "acquisition_cost",
            "status",
            "contract",
            "option",
            "contract_number",
            "customer",
            "return_deadline",
            "return_ground",
            "return_article",
            "found",
            "note",
        ]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_contract_number(self, unit) -> str | None:
        """The number of the contract holding the unit, itself or through its router rental option."""
        holder = unit.contract or (unit.option.contract if unit.option_id else None)
        return holder.number if holder else None

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_customer(self, unit) -> int | None:
        customer = unit.customer
        return customer.pk if customer else None


class UnitEventSerializer(serializers.ModelSerializer):
    by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = UnitEvent
        fields = [
            "id",
            "on",
            "recorded_at",
            "by",
            "from_status",
            "to_status",
            "contract",
            "option",
            "carrier",
            "tracking_number",
            "condition",
            "note",
        ]


class UnitFilter(FilterSet):
    """The admin's unit filters: worklist, state, model, holder, found; its search by serial or contract."""

    worklist = filters.ChoiceFilter(
        choices=[(name, label) for name, (label, _condition) in selectors.UNIT_WORKLISTS.items()],
        method="in_worklist",
    )
    holder = filters.ChoiceFilter(
        choices=[(name, label) for name, (label, _condition) in selectors.HOLDERS.items()], method="held_by"
    )
    serial = filters.CharFilter(lookup_expr="icontains")
    contract_number = filters.CharFilter(method="of_contract")

    class Meta:
        model = Unit
        fields = ["status", "unit_model", "found", "contract", "option"]

    def in_worklist(self, rows, name, value):
        return rows.filter(selectors.UNIT_WORKLISTS[value][1]())

    def held_by(self, rows, name, value):
        return rows.filter(selectors.HOLDERS[value][1])

    def of_contract(self, rows, name, value):
        return rows.filter(Q(contract__number=value) | Q(option__contract__number=value))


def _on():
    return DayField(default=timezone.localdate, help_text="The move's day: today when left out.")


def _note():
    return serializers.CharField(max_length=1000, required=False, default="", allow_blank=True)


def _text():
    return serializers.CharField(max_length=60, required=False, default="", allow_blank=True)


class MoveInput(serializers.Serializer):
    """What every move asks, as the admin's form: its day and a note."""

    on = _on()
    note = _note()


class AssignInput(MoveInput):
    """One live Managed Router contract or router rental option (the rule refuses an ended one, or both)."""

    contract = serializers.PrimaryKeyRelatedField(
        queryset=contracts.managed_router_contracts(live_only=False), required=False, allow_null=True, default=None
    )
    option = serializers.PrimaryKeyRelatedField(
        queryset=contracts.router_rental_options(live_only=False), required=False, allow_null=True, default=None
    )


class ShipInput(MoveInput):
    carrier = _text()
    tracking_number = _text()


class ReceiveReturnInput(ShipInput):
    condition = serializers.ChoiceField(
        choices=ReturnCondition.choices,
        default=ReturnCondition.GOOD,
        help_text="Damaged or parts missing: a damage incident is opened for the charge (Managed Router art. 9).",
    )


class InstallInput(MoveInput):
    change_fee = serializers.IntegerField(
        min_value=YEN.low,
        max_value=YEN.high,
        required=False,
        allow_null=True,
        default=None,
        help_text="The equipment change fee (yen) when the install is an equipment change; empty: the contract's.",
    )


class RequestReturnInput(MoveInput):
    deadline = DayField()


class ReportLossInput(MoveInput):
    kind = serializers.ChoiceField(
        choices=[(k, IncidentKind(k).label) for k in (IncidentKind.LOSS, IncidentKind.DAMAGE)]
    )


def _move(verb: str, service, form: type[MoveInput], summary: str):
    """``POST /units/{id}/<verb>``: ``service(unit, by=user, **input)`` on the unit locked under ``If-Match``;
    a refusal is the service's own (422)."""

    def perform(view, request, pk=None):
        given = form(data=request.data)
        given.is_valid(raise_exception=True)
        service(locked_for_update(view, request), by=request.user, **given.validated_data)
        return answer(view, view.get_object())

    perform.__name__ = verb
    routed = action(detail=True, methods=["post"], url_path=verb.replace("_", "-"), filterset_class=None)(perform)
    described = f"{summary}, as the admin's action on the unit does; a move its state or dates refuse answers 422."
    return act(
        MOVE,
        summary=summary,
        description=described,
        parameters=[IF_MATCH],
        request=form,
        responses={200: UnitSerializer},
    )(routed)


class UnitViewSet(ReadViewSet):
    queryset = Unit.objects.select_related("unit_model", "contract__customer", "option__contract__customer")
    serializer_class = UnitSerializer
    filterset_class = UnitFilter

    @extend_schema(responses=UnitEventSerializer(many=True))
    @action(detail=True, methods=["get"], serializer_class=UnitEventSerializer, filterset_class=None)
    def moves(self, request, pk=None):
        """The unit's moves, newest first: its story as the admin's unit page lists it."""
        rows = self.get_object().events.select_related("by")
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    moves.permission = "equipment.view_unitevent"

    assign = _move("assign", units.assign, AssignInput, "Assign to a contract")
    ship = _move("ship", units.ship, ShipInput, "Ship")
    install = _move("install", units.install, InstallInput, "Record installed")
    request_return = _move("request_return", units.request_return, RequestReturnInput, "Request return")
    receive_return = _move("receive_return", incidents.receive_return, ReceiveReturnInput, "Receive returned unit")
    unassign = _move("unassign", units.unassign, MoveInput, "Back to stock (not shipped)")
    refurbish = _move("refurbish", units.refurbish, MoveInput, "Refurbished")
    restock = _move("restock", units.restock, MoveInput, "Back in stock")
    dispose = _move("dispose", units.dispose, MoveInput, "Dispose")
    report_failure = _move("report_failure", incidents.report_failure, MoveInput, "Report a failure")
    report_loss = _move("report_loss", incidents.report_loss_or_damage, ReportLossInput, "Report a loss or damage")
    mark_found = _move("mark_found", units.mark_found, MoveInput, "Flag found")


ROUTES = [("units", UnitViewSet)]
