"""The task every job runs as: it takes the job's id only, and the job's row says the rest."""

from django.tasks import task

from . import services


@task
def run_job(job_id: int) -> None:
    services.run(job_id)
