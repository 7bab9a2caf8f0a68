"""The database itself refuses inconsistent rows, and concurrent moves serialise on the row lock."""

import threading
from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction

from backoffice.exceptions import InvalidTransition
from contracts.choices import ApplicationType, ServiceCode, Status
from contracts.models import BandwidthArea, Contract
from contracts.services import lifecycle
from customers.choices import RelatedKind
from customers.models import RelatedContract
from tests import factories as f


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("service", "fields"),
    [
        (ServiceCode.CXM2, {"application_type": None}),
        (ServiceCode.SMART_HUB, {"closed_network": None}),
        (ServiceCode.MANAGED_ROUTER, {"route": "office365"}),
        (ServiceCode.ISP_PLATFORM, {"building_type": None}),
        (ServiceCode.CXM2, {"status": Status.ACTIVE}),
        (ServiceCode.CXM2, {"status": Status.TERMINATED}),
        (ServiceCode.CXM2, {"application_type": ApplicationType.ACTIVE, "standby_of_id": -1}),
    ],
    ids=[
        "cxm2-needs-type",
        "smart-hub-needs-network",
        "route-only-cxm2",
        "isp-needs-building",
        "active-needs-billing",
        "terminated-needs-reason",
        "partner-only-for-standby",
    ],
)
def test_database_refuses_rows_that_do_not_fit_their_service(service, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        f.contract(service, **fields)


@pytest.mark.django_db
def test_one_live_smart_hub_per_closed_network():
    f.contract(ServiceCode.SMART_HUB, closed_network="CN-1")
    with pytest.raises(IntegrityError), transaction.atomic():
        f.contract(ServiceCode.SMART_HUB, closed_network="CN-1")


@pytest.mark.django_db
def test_bandwidth_area_in_units_of_100_mbps():
    c = f.contract(
        ServiceCode.ISP_PLATFORM, item="isp_platform.ipoe_limited", line_count=None, building_type="apartment"
    )
    BandwidthArea.objects.create(contract=c, area="east", mbps=300)
    with pytest.raises(IntegrityError), transaction.atomic():
        BandwidthArea.objects.create(contract=c, area="west", mbps=250)


@pytest.mark.django_db
def test_related_contract_attributes_belong_to_their_kind():
    cust = f.customer()
    with pytest.raises(IntegrityError), transaction.atomic():
        RelatedContract.objects.create(customer=cust, kind=RelatedKind.PBB, started_on=date(2024, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        RelatedContract.objects.create(
            customer=cust, kind=RelatedKind.DATA_CENTER, started_on=date(2024, 1, 1), isp_business=True
        )


@pytest.mark.django_db(transaction=True)
def test_concurrent_accepts_of_one_contract_serialise_on_the_row_lock(on_postgres):
    """Two staff accept the same application at once: exactly one wins, the other is told why."""
    contract = f.contract(ServiceCode.CXM2)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def accept(day: int):
        try:
            barrier.wait()
            lifecycle.accept(Contract.objects.get(pk=contract.pk), on=date(2025, 1, day))
            outcomes.append("accepted")
        except InvalidTransition:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(day,)) for day in (10, 11)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["accepted", "refused"]
    contract.refresh_from_db()
    assert contract.status == Status.ACCEPTED
    assert contract.history.filter(status=Status.ACCEPTED).count() == 1
