"""Receiving stock as a background job: started from the upload page, done by a worker.

The units and the job's outcome commit together: a worker killed halfway writes nothing, the job taken
up again imports the same stored file whole, and a finished job never imports twice.
"""

import io
from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice.csv_input import read_csv, utf8_text
from jobs import services as jobs
from jobs.kinds import JobKind
from jobs.models import Job
from jobs.uploads import import_outcome, start_with_file, text_of

from ..models import UnitModel
from .stock_import import MAX_ROWS, import_units


def import_later(upload, *, unit_model: UnitModel, acquired_on: date, cost: int, dry_run: bool, by) -> Job:
    """Check the file as a whole (UTF-8, its header, its size), then start the job that imports it."""
    content = b"".join(upload.chunks())
    text = utf8_text(content)
    read_csv(io.StringIO(text, newline=""), required="serial", max_rows=MAX_ROWS)
    what = _("Dry run of %(file)s") if dry_run else _("Stock received from %(file)s")
    return start_with_file(
        UNIT_IMPORT,
        upload.name,
        content,
        by=by,
        description=what % {"file": upload.name},
        arguments={
            "unit_model": unit_model.pk,
            "acquired_on": acquired_on.isoformat(),
            "cost": cost,
            "dry_run": dry_run,
        },
    )


def run(job: Job):
    """The job's handler: read the stored CSV, receive its units, finish the job in the same transaction."""
    arguments = job.arguments
    with transaction.atomic():
        report = import_units(
            text_of(job),
            unit_model=UnitModel.objects.get(pk=arguments["unit_model"]),
            acquired_on=date.fromisoformat(arguments["acquired_on"]),
            cost=arguments["cost"],
            by=job.started_by,
            dry_run=arguments["dry_run"],
        )
        refusals = [line for line in report.lines if not line.endswith("\t" + _("ok"))]
        url = reverse("admin:equipment_unit_changelist")
        jobs.finish(job.pk, import_outcome(report.summary(), refusals, url=url))
    return jobs.FOLLOWS


UNIT_IMPORT = JobKind("equipment.import_units", gettext_lazy("Units received from a CSV file"), run)
