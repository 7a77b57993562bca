"""The job pages: the list of what ran (coordinators: everything of their municipality; others:
what they started), one job with its progress bar (polled by htmx while it runs) and its
result or error."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from . import registry
from .choices import JobStatus
from .models import Job


@login_required
def job_list(request):
    jobs = Job.objects.visible_to(request.user).select_related("started_by", "municipality")
    status = request.GET.get("status", "")
    if status in JobStatus.values:
        jobs = jobs.filter(status=status)
    page = Paginator(jobs, 50).get_page(request.GET.get("page"))
    return render(request, "jobs/job_list.html", {
        "page_obj": page, "jobs": page.object_list, "status": status,
        "statuses": JobStatus.choices})


def _job(request, pk):
    return get_object_or_404(Job.objects.visible_to(request.user).select_related(
        "started_by", "municipality"), pk=pk)


def _result_template(job: Job) -> str:
    try:
        return registry.get(job.kind).result_template or "jobs/_result.html"
    except KeyError:
        return "jobs/_result.html"


@login_required
def job_detail(request, pk: int):
    job = _job(request, pk)
    return render(request, "jobs/job_detail.html", {
        "job": job, "result_template": _result_template(job)})


@login_required
def job_file(request, pk: int):
    """The document a finished document job built."""
    from django.http import FileResponse, Http404

    from .documents import document_dir

    job = _job(request, pk)
    result = job.result or {}
    path = document_dir() / str(result.get("file", ""))
    if job.status != "succeeded" or not result.get("file") or not path.is_file():
        raise Http404
    return FileResponse(open(path, "rb"), as_attachment=True,  # noqa: SIM115 (closed by Django)
                        filename=result["filename"])


@login_required
def job_progress(request, pk: int):
    """The progress partial: htmx polls it every second while the job runs; once the job is
    over it answers without the polling trigger, with the result."""
    job = _job(request, pk)
    return render(request, "jobs/_progress.html", {
        "job": job, "result_template": _result_template(job)})
