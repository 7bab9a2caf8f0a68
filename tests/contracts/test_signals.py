"""Signals other apps hear: sent once a move commits, for contracts and options alike."""

from datetime import date as D

import pytest
from django.db import transaction

from contracts import signals
from contracts.choices import ServiceCode, TerminationReason
from contracts.models import Contract, ContractOption
from contracts.services import changes, lifecycle
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    """Every signal of ``contracts.signals`` received, as (signal name, sender, instance pk, extra kwargs)."""
    received = []
    names = ("accepted", "billing_started", "notice_registered", "notice_withdrawn", "terminated", "change_accepted")

    def receiver_for(name):
        def receive(sender, instance, signal, **kwargs):
            received.append((name, sender, instance.pk, kwargs))

        return receive

    receivers = {name: receiver_for(name) for name in names}
    for name, receiver in receivers.items():
        getattr(signals, name).connect(receiver)
    yield received
    for name, receiver in receivers.items():
        getattr(signals, name).disconnect(receiver)


def test_each_move_is_heard_once_committed(heard, django_capture_on_commit_callbacks, today):
    today(D(2025, 3, 15))
    c = f.contract(ServiceCode.CXM2)
    with django_capture_on_commit_callbacks(execute=False) as pending:
        lifecycle.accept(c, on=D(2025, 1, 10))
    assert heard == [] and len(pending) == 1  # nothing is heard before the commit
    pending[0]()
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.start_billing(c, on=D(2025, 1, 15))
        [change] = changes.accept_change(c, on=D(2025, 2, 1), route="office365")
        lifecycle.register_notice(c, received_on=D(2025, 3, 1))
        lifecycle.withdraw_notice(c)
        today(D(2025, 4, 1))
        lifecycle.terminate(c, on=D(2025, 4, 1), reason=TerminationReason.GT_ART28_3)
    assert [(name, sender, pk) for name, sender, pk, _ in heard] == [
        ("accepted", Contract, c.pk),
        ("billing_started", Contract, c.pk),
        ("change_accepted", Contract, c.pk),
        ("notice_registered", Contract, c.pk),
        ("notice_withdrawn", Contract, c.pk),
        ("terminated", Contract, c.pk),
    ]
    kwargs = {name: extra for name, _, _, extra in heard}
    assert kwargs["accepted"] == {"on": D(2025, 1, 10)}
    assert kwargs["change_accepted"] == {"on": D(2025, 2, 1), "changes": [change]}
    assert kwargs["notice_registered"] == {"received_on": D(2025, 3, 1), "effective_end_on": D(2025, 3, 31)}
    assert kwargs["terminated"] == {"on": D(2025, 4, 1), "reason": TerminationReason.GT_ART28_3}


def test_a_contract_end_is_heard_for_its_options_too(heard, django_capture_on_commit_callbacks):
    c = f.activate(f.contract(ServiceCode.CXM2))
    napt = f.activate(f.option(c, "cxm2.napt"))
    heard.clear()
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.terminate(c, on=D(2025, 4, 1), reason=TerminationReason.GT_ART28_2)
    assert {(name, sender, pk) for name, sender, pk, _ in heard} == {
        ("terminated", Contract, c.pk),
        ("terminated", ContractOption, napt.pk),
    }


def test_a_refused_move_is_never_heard(heard, django_capture_on_commit_callbacks):
    c = f.activate(f.contract(ServiceCode.CXM2))
    heard.clear()
    refused = pytest.raises(lifecycle.InvalidTransition)
    with django_capture_on_commit_callbacks(execute=True), refused, transaction.atomic():
        lifecycle.register_notice(c, received_on=D(2025, 3, 1))
        lifecycle.terminate(c, on=D(2025, 3, 2))  # before its effective date: refused, all rolled back
    assert heard == []
