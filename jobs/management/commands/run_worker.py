"""A task worker of the configured backend that beats for the jobs it works on and takes up the jobs a
dead worker left behind: as it starts, then every few seconds (``jobs.services.resume_stalled``)."""

import logging
import threading
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import DatabaseError, connections
from django.utils.translation import gettext as _

from backoffice.registry import registry
from jobs import heartbeat
from jobs.services import resume_stalled

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Run a task worker: django-tasks-db's db_worker, or an RQ worker with TASKS_BACKEND=rq. Jobs without "
        "a sign of life for JOBS_STALLED_AFTER_SECONDS are queued again, as it starts and every few seconds."
    )

    def add_arguments(self, parser):
        parser.add_argument("--burst", action="store_true", help="Work until the queue is empty, then stop.")

    def handle(self, *args, burst=False, verbosity=1, **options):
        heartbeat.enable()
        for warm in registry["worker_warmups"].values():
            warm()
        self.take_up_stalled()
        threading.Thread(target=self.sweep, name="stalled jobs", daemon=True).start()
        connections.close_all()  # an RQ worker forks for each task: no connection is shared with the children
        if settings.TASKS_BACKEND == "rq":
            call_command("rqworker", "default", job_class="django_tasks_rq.Job", burst=burst, verbosity=verbosity)
        else:
            call_command("db_worker", batch=burst, reload=False, startup_delay=not burst, verbosity=verbosity)

    def take_up_stalled(self) -> None:
        for job in resume_stalled():
            self.stdout.write(_("Queued again: %(job)s") % {"job": job})

    def sweep(self) -> None:
        """Every third of the stalled limit: a worker restarted after a crash takes its job up within it
        and a third, whether or not it is busy (its connection closed in between: RQ forks meanwhile)."""
        every = max(settings.JOBS_STALLED_AFTER_SECONDS / 3, 1)
        while True:
            time.sleep(every)
            try:
                self.take_up_stalled()
            except DatabaseError:
                logger.warning("Looking for stalled jobs failed", exc_info=True)
            finally:
                connections.close_all()
