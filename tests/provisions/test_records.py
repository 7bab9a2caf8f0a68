"""Records the terms call for: router sites and consents (Managed Router art. 7 ¶1), advance notices of
unavailability (art. 13 ¶2), registered IPv4 addresses (Cloud Proxy art. 8); each refused as the terms say."""

from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from contracts.choices import ServiceCode
from provisions.models import ConsentKind, InstallationSite, RegisteredAddress
from tests import factories as f

from .makers import address, consent, disclosure, isp, measurement, notice, parent, router, site, usage_request

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_a_router_site_is_in_japan():
    with pytest.raises(ValidationError, match=r"outside Japan \(Managed Router art. 7 ¶1 \(4\)\)"):
        site(country="us")


def test_a_record_is_kept_on_a_contract_of_its_service():
    with pytest.raises(ValidationError, match="Managed Router contracts only"):
        site(contract=f.activate(f.contract(ServiceCode.CXM2)))
    with pytest.raises(ValidationError, match=r"Cloud Proxy parent contracts only \(Cloud Proxy art. 8\)"):
        address(contract=f.contract(ServiceCode.CLOUD_PROXY, item="cloud_proxy.template.m365", parent=parent()))


def test_moving_a_router_needs_our_consent_to_move_given_by_that_day():
    contract = router()
    site(contract)
    with pytest.raises(ValidationError, match=r"needs our consent to move it \(Managed Router art. 7 ¶1 \(1\)\)"):
        site(contract, installed_from=date(2025, 3, 10))
    with pytest.raises(ValidationError, match="consent to move it"):
        site(contract, installed_from=date(2025, 3, 10), consent=consent(contract, kind=ConsentKind.LENDING))
    with pytest.raises(ValidationError, match="given on March 20, 2025, after the move"):
        site(contract, installed_from=date(2025, 3, 10), consent=consent(contract, given_on=date(2025, 3, 20)))
    moved = site(contract, installed_from=date(2025, 3, 10), consent=consent(contract))
    assert InstallationSite.objects.filter(contract=contract).first() == moved
    assert moved.history.count() == 1


def test_an_advance_notice_is_given_by_the_day_unless_in_an_emergency():
    with pytest.raises(ValidationError, match=r"by the day the service becomes unusable.*art. 13 ¶2"):
        notice(notified_on=date(2025, 4, 11))
    with pytest.raises(ValidationError, match=r"unless an emergency leaves no time"):
        notice(notified_on=None)
    assert notice(notified_on=None, emergency=True).emergency
    late = timezone.make_aware(datetime(2025, 4, 10, 0))
    with pytest.raises(ValidationError, match="ends after it starts"):
        notice(ends_at=late)


@pytest.mark.parametrize(
    ("network", "error"),
    [
        ("2001:db8::/32", r"Only IPv4 addresses are registered \(Cloud Proxy art. 8\)"),
        ("203.0.113.1/24", r"Enter an IPv4 address or network"),
        ("not an address", r"Enter an IPv4 address or network"),
    ],
)
def test_only_ipv4_addresses_are_registered(network, error):
    with pytest.raises(ValidationError, match=error):
        address(network=network)


def test_registered_addresses_are_written_one_way_and_overlap_none_still_registered():
    contract = parent()
    assert address(contract, network=" 203.0.113.7 ").network == "203.0.113.7/32"
    with pytest.raises(ValidationError, match="overlaps 203.0.113.7/32"):
        address(contract, network="203.0.113.0/29")
    with pytest.raises(ValidationError, match="already registered"):
        address(contract, network="203.0.113.7")
    RegisteredAddress.objects.filter(contract=contract).update(withdrawn_on=date(2025, 3, 1))
    assert address(contract, network="203.0.113.0/29").network == "203.0.113.0/29"


def test_a_usage_report_reply_has_its_day_on_or_after_the_request():
    """ISP Platform art. 15: we may ask for reports on the use of the service; the customer replies promptly."""
    with pytest.raises(ValidationError, match="A reply has its day"):
        usage_request(replied_on=date(2025, 2, 28), reply="1,200 users")
    with pytest.raises(ValidationError, match="A reply has its day"):
        usage_request(reply="1,200 users")
    with pytest.raises(ValidationError, match=r"ISP Platform contracts only \(ISP Platform art. 15\)"):
        usage_request(contract=f.activate(f.contract(ServiceCode.CXM2)))
    assert usage_request(replied_on=date(2025, 3, 5), reply="1,200 users").replied_on == date(2025, 3, 5)


def test_a_change_is_proposed_from_a_measurement_showing_the_bandwidth_tight():
    """CXM2 art. 15, ISP Platform art. 14: traffic is measured; a change may be proposed when it is tight."""
    with pytest.raises(ValidationError, match=r"shows the bandwidth tight \(CXM2 art. 15, ISP Platform art. 14\)"):
        measurement(proposed_on=date(2025, 4, 2), proposal="500 Mbps → 1 Gbps")
    with pytest.raises(ValidationError, match="proposed after the measurement"):
        measurement(tight=True, proposed_on=date(2025, 3, 20), proposal="500 Mbps → 1 Gbps")
    with pytest.raises(ValidationError, match="CXM2 and ISP Platform contracts only"):
        measurement(contract=router())
    assert measurement(contract=isp(), tight=True, proposed_on=date(2025, 4, 2), proposal="add lines").tight


def test_cloud_information_is_disclosed_for_a_cloud_port_and_its_changes_kept():
    """Smart HUB art. 4 ¶3 (3): the customer discloses the other cloud's information and tells us of changes."""
    onprem = f.option(f.contract(ServiceCode.SMART_HUB), "smart_hub.onprem_port", port_line="fiber", interface="1g")
    with pytest.raises(ValidationError, match=r"cloud connection ports only \(Smart HUB art. 4 ¶3\)"):
        disclosure(onprem)
    row = disclosure()
    row.information, row.changed_on = "VNet 10.2.0.0/16", date(2025, 5, 1)
    row.full_clean()
    row.save()
    assert [h.information for h in row.history.all()] == ["VNet 10.2.0.0/16", "VNet 10.1.0.0/16"]
