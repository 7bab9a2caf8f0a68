"""The demo data set as a plan (pure data from the seed) and its idempotent application.

The plan names every customer by its customer code and hands each service's contracts the
statuses of ``STATUS_CYCLE`` in turn. Applying it creates only the customers whose code is not
in the database yet, each in its own transaction with its own ``Random`` derived from the seed,
so a second run changes nothing and a half-loaded set is completed with the same data.
"""

import random
from collections import Counter
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from contracts.choices import ServiceCode
from customers.choices import CustomerKind
from customers.models import Customer

from .builder import CustomerBuilder, save_as
from .data import ADDRESSES, AREA_CODE, CORPORATE, DEPARTMENTS, FAMILY_NAMES, INDIVIDUAL, SERVICE_LETTERS, STATUS_CYCLE
from .scenarios import SCENARIOS

DEMO_USERNAME = "admin"
CODE_PREFIX = "D"
DEFAULT_SEED = 2026


@dataclass(frozen=True)
class CustomerPlan:
    code: str
    kind: str
    name: str
    kana: str
    domain: str
    city: str
    contracts: tuple[tuple[str, str], ...]  # (service, status) in application order


def demo_user():
    """The user the demo history names; ``ensure_demo_login`` gives it its password."""
    user, created = get_user_model().objects.get_or_create(
        username=DEMO_USERNAME,
        defaults={"email": "admin@example.com", "is_staff": True, "is_superuser": True},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


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


def _customer(p: CustomerPlan, rng: random.Random, user) -> Customer:
    postal, street = rng.choice(ADDRESSES[p.city])
    address = f"{street}{rng.randint(1, 5)}-{rng.randint(1, 20)}-{rng.randint(1, 30)}"
    if p.kind == CustomerKind.CORPORATE:
        address += f" {rng.choice(['', '第一', '中央', 'センター'])}ビル{rng.randint(2, 25)}階"
    phone = f"{AREA_CODE[p.city]}-{rng.randint(3000, 6999)}-{rng.randint(1000, 9999)}"
    is_company = p.kind == CustomerKind.CORPORATE
    failure = f"{rng.choice(DEPARTMENTS)} {rng.choice(FAMILY_NAMES)}" if is_company else p.name
    billing = f"経理部 {rng.choice(FAMILY_NAMES)}" if is_company else p.name
    mail = f"{p.domain}.example.jp" if is_company else "example.jp"
    return save_as(
        Customer(
            code=p.code,
            kind=p.kind,
            name=p.name,
            name_kana=p.kana,
            postal_code=postal,
            address=address,
            failure_contact_name=failure,
            failure_contact_phone=phone,
            failure_contact_email=f"noc@{mail}" if is_company else f"{p.domain}@{mail}",
            billing_contact_name=billing,
            billing_contact_phone=phone[:-4] + f"{rng.randint(1000, 9999)}",
            billing_contact_email=f"billing@{mail}" if is_company else f"{p.domain}@{mail}",
        ),
        user,
    )


def demo_customers():
    return Customer.objects.filter(code__in=[p.code for p in plan()])


def seed(seed: int = DEFAULT_SEED, user=None) -> tuple[int, int]:
    """Create the demo customers that are missing; returns (created, already present)."""
    user = user or demo_user()
    created = present = 0
    existing = set(demo_customers().values_list("code", flat=True))
    for p in plan():
        if p.code in existing:
            present += 1
            continue
        rng = random.Random(f"{seed}:{p.code}")
        try:
            with transaction.atomic():
                builder = CustomerBuilder(_customer(p, rng, user), [service for service, _ in p.contracts], rng, user)
                for service, status in p.contracts:
                    SCENARIOS[ServiceCode(service)](builder, status)
                builder.run()
        except Exception as exc:
            exc.add_note(f"while creating demo customer {p.code} {p.name} {p.contracts}")
            raise
        created += 1
    return created, present
