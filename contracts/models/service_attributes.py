"""Which typed attributes a contract of each service has: one declaration per service.

From it come the named check constraints (a service's required attributes; each attribute only on
the services that have it), their messages naming the field and the article, which ``full_clean``
shows on the field without a query (``backoffice.constraints.Check``), and the fields the admin
shows for a service.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from backoffice.constraints import Check

from ..choices import ServiceCode


@dataclass(frozen=True)
class Attribute:
    article: Promise
    required: bool = False


def required(article) -> Attribute:
    return Attribute(article, required=True)


def optional(article) -> Attribute:
    return Attribute(article)


#: Service → its attributes, in the order the admin shows them, each with the article behind it.
SERVICE_ATTRIBUTES: dict[str, dict[str, Attribute]] = {
    ServiceCode.CXM2: {
        "application_type": required(_("CXM2 art. 2")),
        "route": required(_("CXM2 art. 2")),
        "region": required(_("CXM2 art. 3")),
        "standby_of": optional(_("CXM2 art. 5")),
    },
    ServiceCode.CLOUD_PROXY: {
        "parent": optional(_("Cloud Proxy art. 1")),
        "management_unit": optional(_("Cloud Proxy art. 1")),
        "region": optional(_("Cloud Proxy art. 5")),
    },
    ServiceCode.SMART_HUB: {
        "related_contract": optional(_("Smart HUB art. 2")),
        "closed_network": required(_("Smart HUB art. 3")),
    },
    ServiceCode.MANAGED_ROUTER: {
        "related_contract": optional(_("Managed Router art. 1, art. 4")),
        "legacy_type": optional(_("Managed Router supplementary provisions 2005-05-01")),
    },
    ServiceCode.ISP_PLATFORM: {
        "building_type": required(_("ISP Platform art. 5")),
        "line_count": optional(_("ISP Platform art. 1")),
        "bandwidth_consent_on": optional(_("ISP Platform art. 5")),
        "end_user_consent_on": optional(_("ISP Platform art. 5")),
        "third_party_duties_on": optional(_("ISP Platform art. 5 ¶6 (3)")),
    },
}

#: Every attribute, each once, in the order of the declaration.
ATTRIBUTES = tuple(dict.fromkeys(field for attrs in SERVICE_ATTRIBUTES.values() for field in attrs))

#: How the messages name each service (the articles name them the same way).
SHORT_NAMES = {
    ServiceCode.CXM2: _("CXM2"),
    ServiceCode.CLOUD_PROXY: _("Cloud Proxy"),
    ServiceCode.SMART_HUB: _("Smart HUB"),
    ServiceCode.MANAGED_ROUTER: _("Managed Router"),
    ServiceCode.ISP_PLATFORM: _("ISP Platform"),
}


def fields_of(service: str) -> tuple[str, ...]:
    return tuple(SERVICE_ATTRIBUTES[service])


def _and(parts: list) -> Promise:
    return parts[0] if len(parts) == 1 else format_lazy(_("{} and {}"), _and(parts[:-1]), parts[-1])


def service_constraints() -> list[Check]:
    """The check constraints of the declaration, for the contract model."""
    checks = [
        Check(
            condition=~Q(service=service) | Q(**{f"{field}__isnull": False}),
            name=f"contracts_contract_{service}_needs_{field}",
            field=field,
            violation_error_message=format_lazy(
                _("{service} contracts need their %(field)s ({article})."),
                service=SHORT_NAMES[service],
                article=attribute.article,
            ),
        )
        for service, attrs in SERVICE_ATTRIBUTES.items()
        for field, attribute in attrs.items()
        if attribute.required
    ]
    for field in ATTRIBUTES:
        services = [service for service, attrs in SERVICE_ATTRIBUTES.items() if field in attrs]
        checks.append(
            Check(
                condition=Q(service__in=services) | Q(**{f"{field}__isnull": True}),
                name=f"contracts_contract_{field}_service_only",
                field=field,
                violation_error_message=format_lazy(
                    _("Only {services} contracts have a %(field)s ({articles})."),
                    services=_and([SHORT_NAMES[service] for service in services]),
                    articles=format_lazy(
                        ", ".join("{}" for _service in services),
                        *(SERVICE_ATTRIBUTES[service][field].article for service in services),
                    ),
                ),
            )
        )
    return checks
