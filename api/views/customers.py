"""Customers and their related contracts (関連契約), read."""

from django_filters import rest_framework as filters
from rest_framework import serializers

from customers.models import Customer, RelatedContract

from .base import FilterSet, ReadViewSet


class RelatedContractSerializer(serializers.ModelSerializer):
    class Meta:
        model = RelatedContract
        fields = [
            "id",
            "customer",
            "kind",
            "reference",
            "closed_network",
            "firewall_item",
            "isp_business",
            "started_on",
            "ended_on",
        ]


class CustomerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Customer
        fields = [
            "id",
            "code",
            "kind",
            "name",
            "name_kana",
            "status",
            "postal_code",
            "address",
            "billing_address",
            "failure_contact_name",
            "failure_contact_email",
            "billing_contact_name",
            "billing_contact_email",
            "invoice_by_post",
            "created_at",
        ]


class CustomerFilter(FilterSet):
    created_after = filters.DateFilter(field_name="created_at", lookup_expr="date__gte")
    created_before = filters.DateFilter(field_name="created_at", lookup_expr="date__lte")
    code = filters.CharFilter()
    name = filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Customer
        fields = ["kind", "status"]


class CustomerViewSet(ReadViewSet):
    queryset = Customer.objects.all()
    serializer_class = CustomerSerializer
    filterset_class = CustomerFilter


class RelatedContractFilter(FilterSet):
    ended = filters.BooleanFilter(field_name="ended_on", lookup_expr="isnull", exclude=True)

    class Meta:
        model = RelatedContract
        fields = ["customer", "kind", "isp_business"]


class RelatedContractViewSet(ReadViewSet):
    queryset = RelatedContract.objects.all()
    serializer_class = RelatedContractSerializer
    filterset_class = RelatedContractFilter


ROUTES = [("customers", CustomerViewSet), ("related-contracts", RelatedContractViewSet)]
