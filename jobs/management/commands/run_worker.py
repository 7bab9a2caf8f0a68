"""A task worker of the configured backend, after queueing again the jobs a dead worker left behind."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connections
from django.utils.translation import gettext as _

from jobs.services import resume_stalled


class Command(BaseCommand):
    help = (
        "Run a task worker: django-tasks-db's db_worker, or an RQ worker with TASKS_BACKEND=rq. "
        "Jobs without progress for JOBS_STALLED_AFTER_SECONDS are queued again first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--burst", action="store_true", help="Work until the queue is empty, then stop.")

    def handle(self, *args, burst=False, verbosity=1, **options):
        for job in resume_stalled():
            self.stdout.write(_("Queued again: %(job)s") % {"job": job})
        connections.close_all()  # an RQ worker forks for each task: no connection is shared with the children
        if settings.TASKS_BACKEND == "rq":
            call_command("rqworker", "default", job_class="django_tasks_rq.Job", burst=burst, verbosity=verbosity)
        else:
            call_command("db_worker", batch=burst, reload=False, startup_delay=not burst, verbosity=verbosity)
