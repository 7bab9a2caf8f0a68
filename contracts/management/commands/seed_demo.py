"""Load the demo data set (idempotent: customers already present are left as they are)."""

from django.core.management.base import BaseCommand
from django.db.models import Count

from contracts import demo
from contracts.choices import Status
from contracts.models import Contract, ContractChange, ContractOption
from customers.models import RelatedContract


class Command(BaseCommand):
    help = "Create demo customers, related contracts and contracts of all five services through the services."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=demo.DEFAULT_SEED, help="Random seed of the data set.")

    def handle(self, *args, **options):
        created, present = demo.seed(seed=options["seed"])
        self.stdout.write(f"Demo customers: {created} created, {present} already present.")
        customers = demo.demo_customers()
        contracts = Contract.objects.filter(customer__in=customers)
        self.stdout.write(
            f"Customers {customers.count()}, "
            f"related contracts {RelatedContract.objects.filter(customer__in=customers).count()}, "
            f"contracts {contracts.count()}, "
            f"options {ContractOption.objects.filter(contract__in=contracts).count()}, "
            f"changes {ContractChange.objects.filter(contract__in=contracts).count()}"
        )
        counts = {
            (row["service_id"], row["status"]): row["n"]
            for row in contracts.values("service_id", "status").annotate(n=Count("id"))
        }
        self.stdout.write("".ljust(16) + "".join(status.value.rjust(12) for status in Status))
        for service in sorted({service for service, _ in counts}):
            cells = "".join(str(counts.get((service, status.value), 0)).rjust(12) for status in Status)
            self.stdout.write(service.ljust(16) + cells)
