"""The file a job makes (a PDF to print, a journal to hand to accounting): kept with the default file
storage under the job's number, downloaded from the job's page by whoever may see the job."""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from .models import Job


def _folder(job: Job) -> str:
    """The job's own folder: its number and when it was created (a number is never read as another's)."""
    return f"jobs/{job.pk}-{job.created_at:%Y%m%d%H%M%S%f}/"


def keep(job: Job, name: str, content: bytes) -> str:
    """Store ``content`` as the job's file ``name`` (a retry replaces it) and return its download link."""
    for old in default_storage.listdir(_folder(job))[1] if default_storage.exists(_folder(job)) else []:
        default_storage.delete(_folder(job) + old)
    default_storage.save(_folder(job) + name, ContentFile(content))
    return reverse("admin:jobs_job_file", args=[job.pk])


def kept(job: Job) -> tuple[str, object] | None:
    """The job's file, ``(name, open file)``, or None."""
    if not default_storage.exists(_folder(job)):
        return None
    names = default_storage.listdir(_folder(job))[1]
    if not names:
        return None
    return names[0], default_storage.open(_folder(job) + names[0], "rb")
