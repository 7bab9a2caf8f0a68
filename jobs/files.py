"""The file a job makes (a PDF to print, a journal to hand to accounting): kept with the default file
storage under the job's number, downloaded from the job's page by whoever may see the job."""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from .models import Job


def _folder(job: Job) -> str:
    """The job's own folder: its number and when it was created (a number is never read as another's)."""
    return f"jobs/{job.pk}-{job.created_at:%Y%m%d%H%M%S%f}/"


def _names(job: Job) -> list[str]:
    """The files in the job's folder. Listed, not tested with ``exists``: a bucket has no folders, only
    names that begin alike, and a folder not made yet on disk is no error."""
    try:
        return default_storage.listdir(_folder(job))[1]
    except FileNotFoundError:
        return []


def keep(job: Job, name: str, content: bytes) -> str:
    """Store ``content`` as the job's file ``name`` (a retry replaces it) and return its download link."""
    for old in _names(job):
        default_storage.delete(_folder(job) + old)
    default_storage.save(_folder(job) + name, ContentFile(content))
    return reverse("admin:jobs_job_file", args=[job.pk])


def kept(job: Job) -> tuple[str, str] | None:
    """The job's file, ``(name, stored name)``, or None."""
    names = _names(job)
    return (names[0], _folder(job) + names[0]) if names else None
