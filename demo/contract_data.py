"""The demo customers and all they hold: a plan (pure data), written as import rows and played
through the importer, one customer at a time.

The plan names every customer by its customer code and hands each service's contracts the
statuses of ``STATUS_CYCLE`` in turn. Only the customers whose code is not in the database yet are
played, each all or nothing with its own ``Random`` derived from the seed, so a second run changes
nothing and a half-loaded set is completed with the same data. The history is dated on the days
of the story.
"""

import random
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count
from django.utils.translation import gettext as _

from contracts.choices import ServiceCode, Status
from contracts.importer import RawRow, import_rows
from contracts.models import Contract, ContractChange, ContractOption
from customers.choices import CustomerKind
from customers.models import Customer, RelatedContract

from .data import ADDRESSES, AREA_CODE, CORPORATE, DEPARTMENTS, FAMILY_NAMES, INDIVIDUAL, SERVICE_LETTERS, STATUS_CYCLE
from .rows import CustomerRows
from .scenarios import SCENARIOS

CODE_PREFIX = "D"


@dataclass(frozen=True)
class CustomerPlan:
    code: str
    kind: str
    name: str
    kana: str
    domain: str
    city: str
    contracts: tuple[tuple[str, str], ...]  # (service, status) in application order


def plan() -> list[CustomerPlan]:
    turns: Counter = Counter()
    plans = []
    people = [(CustomerKind.CORPORATE, row) for row in CORPORATE] + [
        (CustomerKind.INDIVIDUAL, row) for row in INDIVIDUAL
    ]
    for number, (kind, (name, kana, domain, city, letters)) in enumerate(people, start=1):
        contracts = []
        for letter in letters:
            service = SERVICE_LETTERS[letter]
            contracts.append((service, STATUS_CYCLE[turns[service] % len(STATUS_CYCLE)]))
            turns[service] += 1
        plans.append(CustomerPlan(f"{CODE_PREFIX}{number:05d}", kind, name, kana, domain, city, tuple(contracts)))
    return plans


def _customer(p: CustomerPlan, rng: random.Random) -> dict:
    """The customer row: contacts and an address made up from the seed."""
    postal, street = rng.choice(ADDRESSES[p.city])
    address = f"{street}{rng.randint(1, 5)}-{rng.randint(1, 20)}-{rng.randint(1, 30)}"
    if p.kind == CustomerKind.CORPORATE:
        address += f" {rng.choice(['', '第一', '中央', 'センター'])}ビル{rng.randint(2, 25)}階"
    phone = f"{AREA_CODE[p.city]}-{rng.randint(3000, 6999)}-{rng.randint(1000, 9999)}"
    is_company = p.kind == CustomerKind.CORPORATE
    failure = f"{rng.choice(DEPARTMENTS)} {rng.choice(FAMILY_NAMES)}" if is_company else p.name
    billing = f"経理部 {rng.choice(FAMILY_NAMES)}" if is_company else p.name
    mail = f"{p.domain}.example.jp" if is_company else "example.jp"
    return {
        "code": p.code,
        "kind": p.kind,
        "name": p.name,
        "name_kana": p.kana,
        "postal_code": postal,
        "address": address,
        "failure_contact_name": failure,
        "failure_contact_phone": phone,
        "failure_contact_email": f"noc@{mail}" if is_company else f"{p.domain}@{mail}",
        "billing_contact_name": billing,
        "billing_contact_phone": phone[:-4] + f"{rng.randint(1000, 9999)}",
        "billing_contact_email": f"billing@{mail}" if is_company else f"{p.domain}@{mail}",
    }


def demo_customers():
    return Customer.objects.filter(code__in=[p.code for p in plan()])


def customer_rows(p: CustomerPlan, seed: int) -> list[RawRow]:
    """The import rows of one planned customer; the same seed always gives the same rows."""
    rng = random.Random(f"{seed}:{p.code}")
    rows = CustomerRows(_customer(p, rng), [service for service, _ in p.contracts], rng)
    for service, status in p.contracts:
        SCENARIOS[ServiceCode(service)](rows, status)
    return [RawRow(number, kind, values) for number, (kind, values) in enumerate(rows.rows, start=1)]


def contribute(seed: int, user) -> list[str]:
    """Play the missing demo customers through the importer; a refused row is a bug of the demo."""
    created = present = 0
    existing = set(demo_customers().values_list("code", flat=True))
    for p in plan():
        if p.code in existing:
            present += 1
            continue
        report = import_rows(customer_rows(p, seed), label=f"demo {p.code}", user=user, dated_history=True)
        if report.refused_count:
            refusals = "\n".join(line for line in report.lines() if "\tok" not in line)
            raise RuntimeError(f"demo customer {p.code} {p.name} {p.contracts} was refused:\n{refusals}")
        created += 1
    return [
        _("Demo customers: %(created)d created, %(present)d already present.")
        % {"created": created, "present": present},
        *_summary(),
    ]


def _summary() -> list[str]:
    customers = demo_customers()
    contracts = Contract.objects.filter(customer__in=customers)
    lines = [
        _(
            "Customers %(customers)d, related contracts %(related)d, contracts %(contracts)d, options %(options)d, "
            "changes %(changes)d"
        )
        % {
            "customers": customers.count(),
            "related": RelatedContract.objects.filter(customer__in=customers).count(),
            "contracts": contracts.count(),
            "options": ContractOption.objects.filter(contract__in=contracts).count(),
            "changes": ContractChange.objects.filter(contract__in=contracts).count(),
        }
    ]
    counts = {
        (row["service_id"], row["status"]): row["n"]
        for row in contracts.values("service_id", "status").annotate(n=Count("id"))
    }
    for service in sorted({service for service, _status in counts}):
        by_status = ", ".join(
            f"{status.label} {counts[service, status.value]}" for status in Status if (service, status.value) in counts
        )
        lines.append(f"{ServiceCode(service).label}: {by_status}")
    return lines
