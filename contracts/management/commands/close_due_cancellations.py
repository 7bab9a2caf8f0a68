"""Daily job: end every pending cancellation whose last day of service has passed."""

from datetime import date

from django.core.management.base import BaseCommand
from django.utils import timezone

from contracts.services.lifecycle import close_due


class Command(BaseCommand):
    help = "End contracts and options whose cancellation took effect before TODAY (default: today in Tokyo)."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=date.fromisoformat, help="YYYY-MM-DD; defaults to today's date.")

    def handle(self, *args, today=None, **options):
        ended, refused = close_due(today=today or timezone.localdate())
        self.stdout.write(f"{ended} cancellation(s) took effect.")
        for row, error in refused:
            self.stderr.write(f"{row}: {'; '.join(error.messages)}")
