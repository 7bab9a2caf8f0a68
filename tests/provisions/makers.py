"""One more row of each provisions model, for the admin's smoke and hostile-input tests."""

from datetime import date, datetime

from django.utils import timezone

from contracts.choices import ServiceCode
from provisions.models import (
    CloudDisclosure,
    Consent,
    ConsentKind,
    InstallationSite,
    RegisteredAddress,
    TrafficMeasurement,
    UnavailabilityCause,
    UnavailabilityNotice,
    UsageReportRequest,
)
from tests import factories as f


def saved(row):
    row.full_clean()
    row.save()
    return row


def router():
    return f.activate(f.contract(ServiceCode.MANAGED_ROUTER))


def consent(contract=None, kind=ConsentKind.MOVE, given_on=date(2025, 3, 1)):
    return saved(
        Consent(
            contract=contract or router(),
            kind=kind,
            requested_on=date(2025, 2, 20),
            given_on=given_on,
            what="move to the new floor",
        )
    )


def site(contract=None, installed_from=date(2025, 1, 20), **kw):
    return saved(
        InstallationSite(
            contract=contract or router(), installed_from=installed_from, address="東京都千代田区1-1", **kw
        )
    )


def notice(contract=None, **kw):
    fields = {
        "starts_at": timezone.make_aware(datetime(2025, 4, 10, 1)),
        "ends_at": timezone.make_aware(datetime(2025, 4, 10, 3)),
        "cause": UnavailabilityCause.SOFTWARE,
        "reason": "firmware update",
        "notified_on": date(2025, 4, 1),
        **kw,
    }
    return saved(UnavailabilityNotice(contract=contract or router(), **fields))


def parent():
    return f.contract(ServiceCode.CLOUD_PROXY)


def address(contract=None, network="203.0.113.0/28", **kw):
    return saved(
        RegisteredAddress(contract=contract or parent(), network=network, registered_on=date(2025, 2, 1), **kw)
    )


def isp():
    return f.activate(f.contract(ServiceCode.ISP_PLATFORM))


def usage_request(contract=None, **kw):
    fields = {"requested_on": date(2025, 3, 1), "requested": "end users per prefecture", **kw}
    return saved(UsageReportRequest(contract=contract or isp(), **fields))


def measurement(contract=None, **kw):
    fields = {"measured_from": date(2025, 3, 1), "measured_until": date(2025, 3, 31), "peak_mbps": 950, **kw}
    return saved(TrafficMeasurement(contract=contract or f.activate(f.contract(ServiceCode.CXM2)), **fields))


def cloud_port():
    hub = f.contract(ServiceCode.SMART_HUB)
    return f.option(hub, "smart_hub.cloud_port", cloud_type="a_private", interface="1g")


def disclosure(option=None, **kw):
    fields = {"cloud_account": "subscription 1234", "information": "VNet 10.1.0.0/16", "disclosed_on": date(2025, 2, 1)}
    return saved(CloudDisclosure(option=option or cloud_port(), **{**fields, **kw}))


MAKERS = {
    InstallationSite: site,
    Consent: consent,
    UnavailabilityNotice: notice,
    RegisteredAddress: address,
    UsageReportRequest: usage_request,
    TrafficMeasurement: measurement,
    CloudDisclosure: disclosure,
}
