"""Who sees the background jobs (declared in ``JobsConfig.ready``).

Every role starts jobs through its own actions and sees and retries its own; the auditor sees every
job (``view_every_job``, a view permission and so the auditor's like every other, named here too).
"""

from backoffice.roles import APPROVER, AUDITOR, BILLING, LOGISTICS, SALES

OWN_JOBS = ["jobs.view_job", "jobs.retry_job"]
EVERY_JOB = "jobs.view_every_job"

GRANTS = {
    SALES: OWN_JOBS,
    LOGISTICS: OWN_JOBS,
    BILLING: OWN_JOBS,
    APPROVER: OWN_JOBS,
    AUDITOR: [EVERY_JOB],
}
