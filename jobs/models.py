"""A job: one long piece of work done in the background, as staff follow it on the jobs page."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from backoffice.constraints import Check

from .roles import EVERY_JOB


class JobState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class JobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff see the jobs they started; the auditor (and a superuser) sees every job (``roles.EVERY_JOB``)."""
        return self if user.has_perm(EVERY_JOB) else self.filter(started_by=user)


class Job(models.Model):
    """What was asked (kind and arguments, with a readable description), by whom, and how far it got.

    Progress is written without history at every step: ``done`` of ``total``, of which ``committed`` is
    what a crash keeps (work done inside the job's own open transaction is done, not yet committed), and
    ``heartbeat_at``, the last sign of life of the worker on it (``jobs.heartbeat``). The history records
    the moves between states, with the user who started or retried the job.
    """

    #: The name of its ``jobs.kinds.JobKind``, declared by the app that does the work.
    kind = models.CharField(_("kind"), max_length=40)
    description = models.CharField(_("what"), max_length=200)
    arguments = models.JSONField(_("arguments"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True, help_text=_("Its report's language."))
    state = models.CharField(_("state"), max_length=10, choices=JobState.choices, default=JobState.QUEUED)
    done = models.PositiveIntegerField(_("done"), default=0)
    committed = models.PositiveIntegerField(
        _("committed"), default=0, help_text=_("Of what is done, what is saved for good: what a crash keeps.")
    )
    total = models.PositiveIntegerField(_("total"), null=True, blank=True)
    result = models.TextField(_("result"), blank=True)
    result_url = models.CharField(_("result link"), max_length=500, blank=True)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = JobQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["done", "committed", "heartbeat_at"])

    STATE_FIELD = "state"
    #: A job's moves (``backoffice.moves``). A worker takes a queued, failed or silent running job up (running
    #: again: taken over); a job is queued again by staff or when its worker died; whatever is not done may
    #: finish or fail (its further tasks report after a takeover); a done job stays done.
    TRANSITIONS = {
        JobState.QUEUED: {JobState.QUEUED, JobState.RUNNING, JobState.DONE, JobState.FAILED},
        JobState.RUNNING: {JobState.RUNNING, JobState.QUEUED, JobState.DONE, JobState.FAILED},
        JobState.FAILED: {JobState.RUNNING, JobState.QUEUED, JobState.DONE, JobState.FAILED},
        JobState.DONE: set(),
    }

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-pk"]
        permissions = [
            ("retry_job", "Can retry a failed job"),
            ("view_every_job", "Can view every user's jobs"),
        ]
        indexes = [models.Index(fields=["state", "heartbeat_at"], name="jobs_job_state_heartbeat")]
        constraints = [
            Check(
                condition=Q(state__in=JobState.values),
                name="jobs_job_state_valid",
                field="state",
                violation_error_message=_("Not a state of a job."),
            ),
            Check(
                condition=Q(total__isnull=True) | Q(done__lte=F("total")),
                name="jobs_job_done_within_total",
                field="done",
                violation_error_message=_("A job cannot have done more than its total."),
            ),
        ]

    def __str__(self):
        return _("Job #%(id)s %(what)s") % {"id": self.pk, "what": self.description}

    @property
    def is_finished(self) -> bool:
        return self.state in (JobState.DONE, JobState.FAILED)


class Upload(models.Model):
    """The file a job works from (an import): kept in the database, so a worker on any machine reads it,
    and a retry reads the very same bytes. Its history records who uploaded what (name, size, checksum)."""

    job = models.OneToOneField(Job, on_delete=models.PROTECT, related_name="upload", verbose_name=_("job"))
    name = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(_("content"))
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)

    history = HistoricalRecords(excluded_fields=["content"])

    class Meta:
        verbose_name = _("uploaded file")
        verbose_name_plural = _("uploaded files")

    def __str__(self):
        return self.name
