"""Background jobs as the admin's jobs page shows them (own jobs; the auditor every job), and the contract
import started from an uploaded file, as the admin's upload page starts it."""

from django.core.exceptions import ValidationError
from django.urls import reverse
from django_filters import rest_framework as filters
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from backoffice.forms import check_upload_size
from contracts.importer import job as contract_import
from jobs import kinds
from jobs.models import Job

from .base import FilterSet, ReadViewSet, act


class JobSerializer(serializers.ModelSerializer):
    kind_label = serializers.SerializerMethodField()
    started_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "kind_label",
            "description",
            "state",
            "done",
            "committed",
            "total",
            "result",
            "result_url",
            "error",
            "attempts",
            "started_by",
            "created_at",
            "started_at",
            "finished_at",
        ]

    @extend_schema_field(serializers.CharField())
    def get_kind_label(self, job) -> str:
        return kinds.label(job.kind)


class JobFilter(FilterSet):
    """The admin's job filters (state, kind, creation date) and its search (what, who started it)."""

    kind = filters.ChoiceFilter(choices=kinds.choices)
    created_after = filters.DateFilter(field_name="created_at", lookup_expr="date__gte")
    created_before = filters.DateFilter(field_name="created_at", lookup_expr="date__lte")
    description = filters.CharFilter(lookup_expr="icontains")
    started_by = filters.CharFilter(field_name="started_by__username")

    class Meta:
        model = Job
        fields = ["state"]


class JobSchema(AutoSchema):
    """The list's ``kind`` filter names the kinds the apps register (``jobs.kinds``), read when the schema is
    generated (every app has registered its kinds by then), as the admin's filter reads them at each request."""

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        if self.view.action != "list":
            return parameters
        names = [name for name, _label in kinds.choices()]
        return [*parameters, OpenApiParameter("kind", enum=names, description="A job's kind, as its `kind` says.")]


class JobViewSet(ReadViewSet):
    queryset = Job.objects.select_related("started_by")
    schema = JobSchema()
    serializer_class = JobSerializer
    filterset_class = JobFilter

    def get_queryset(self):
        """The jobs the admin's jobs page shows this user (``Job.objects.visible_to``)."""
        rows = super().get_queryset()
        return rows.none() if getattr(self, "swagger_fake_view", False) else rows.visible_to(self.request.user)


def started(job: Job) -> Response:
    """202 with the job that does the work, to follow at ``Location``."""
    location = reverse("api:jobs-detail", args=[job.pk])
    return Response(JobSerializer(job).data, status=202, headers={"Location": location})


class FormBoolean(serializers.BooleanField):
    """A yes or no of an upload's form, written ``true`` or ``false`` as the schema's boolean is: a ``0``, a
    ``no`` or an ``off`` is refused, not guessed (a guess of "yes" writes rows)."""

    TRUE_VALUES = {"true", True}
    FALSE_VALUES = {"false", False}


class ContractImportInput(serializers.Serializer):
    """The admin's import form: the file (CSV or JSON, docs/import.md) and its two choices."""

    file = serializers.FileField(validators=[check_upload_size])
    dry_run = FormBoolean(
        default=True, help_text="Check only: nothing is written (the default, as the admin's form starts)."
    )
    partial = FormBoolean(
        default=False, help_text="Import the rows that pass; without it, one refused row writes nothing."
    )


class ContractImportViewSet(viewsets.GenericViewSet):
    parser_classes = [MultiPartParser]
    serializer_class = JobSerializer

    @act(
        contract_import.PERMISSIONS,
        summary="Import contracts from a file",
        request=ContractImportInput,
        responses={202: JobSerializer},
    )
    def create(self, request):
        """Check the file as a whole, then start the job that imports it (202); follow it at ``Location``."""
        given = ContractImportInput(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        try:
            job = contract_import.import_later(
                data["file"], by=request.user, partial=data["partial"], dry_run=data["dry_run"]
            )
        except ValidationError as exc:  # the file as a whole cannot be read: said of the file, as on the page
            raise ValidationError({"file": exc.messages}) from None
        return started(job)


ROUTES = [("jobs", JobViewSet), ("contract-imports", ContractImportViewSet)]
