"""Who may see a job: the user who started it, and national administrators (who
operate the deployment). Everyone else gets a 403, whatever the job's kind."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from sinasec.accounts.scope import AnyUser, scope_for
from sinasec.core.errors import AccessDenied
from sinasec.jobs.models import Job


def can_view_job(user: AnyUser | None, job: Job) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return job.owner_id == user.pk or scope_for(user).is_admin


def get_job_for_user(user: AnyUser | None, job_id: int) -> Job:
    job = Job.objects.select_related("owner").filter(pk=job_id).first()
    if job is None:
        raise Http404(_("There is no job %d.") % job_id)
    if not can_view_job(user, job):
        raise AccessDenied(_("Only the person who started this job can see it."))
    return job
