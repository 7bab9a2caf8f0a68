"""Load the demo data set (idempotent: what is already present is left as it is)."""

from django.core.management.base import BaseCommand

from demo.seed import DEFAULT_SEED, seed


class Command(BaseCommand):
    help = "Create the demo data of every app: customers, related contracts and contracts of all five services."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="Random seed of the data set.")

    def handle(self, *args, **options):
        for line in seed(seed=options["seed"]):
            self.stdout.write(line)
            self.stdout.flush()
