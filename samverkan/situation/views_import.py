"""The import page: the uploaded file is stored, checked by a background job (a dry run with
progress), and imported by a second job when the coordinator confirms. Both show their
progress with the job page's htmx-polled bar and end with the result and its row errors."""
from __future__ import annotations

import uuid
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.core.tenancy import current_municipality
from samverkan.jobs import services as jobs
from samverkan.jobs.models import Job

from .choices import AreaKind
from .forms import ImportForm
from .jobs import stored_upload_dir
from .views import _municipality_or_403, _require_coordinator

KIND = "situation.import"


def _store(upload) -> str:
    """The upload as a file of its own (never in the session): the jobs read it from there."""
    folder = stored_upload_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4().hex}.upload"
    with open(path, "wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return str(path)


def start_import(*, actor, municipality, path: str, name: str, what: str, fmt: str,
                 area_kind: str = AreaKind.DISTRICT, only_inside: bool = False,
                 dry_run: bool, key: str | None = None) -> Job:
    label = (_("Check of %(name)s") if dry_run else _("Import of %(name)s")) % {"name": name}
    return jobs.start(KIND, label=label, actor=actor, municipality=municipality, key=key,
                      params={"path": path, "name": name, "what": what, "fmt": fmt,
                              "area_kind": area_kind, "only_inside": only_inside,
                              "dry_run": dry_run})


@login_required
def import_view(request):
    """Upload: the file is stored and checked by a job; the page follows the job."""
    municipality, denied = _municipality_or_403(request)
    if denied:
        return denied
    _require_coordinator(request.user, municipality)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = start_import(
            actor=request.user, municipality=municipality, path=_store(upload),
            name=upload.name[:200], what=form.cleaned_data["what"],
            fmt=form.cleaned_data["format"] or "csv",
            area_kind=form.cleaned_data["area_kind"] or AreaKind.DISTRICT,
            only_inside=form.cleaned_data["only_inside"], dry_run=True)
        return redirect("situation:import_job", job.pk)
    recent = Job.objects.visible_to(request.user).filter(
        kind=KIND, municipality=municipality)[:5]
    return render(request, "situation/incident_import.html", {
        "form": form, "municipality": municipality, "recent": recent})


def _import_job(request, pk) -> Job:
    municipality = current_municipality(request)
    _require_coordinator(request.user, municipality)
    return get_object_or_404(Job.objects.visible_to(request.user).filter(
        kind=KIND, municipality=municipality), pk=pk)


@login_required
def import_job(request, pk: int):
    """The check or the import of one file: progress, then the result."""
    job = _import_job(request, pk)
    return render(request, "situation/import_job.html", {
        "job": job, "result_template": "situation/_import_result.html"})


@login_required
@require_POST
def import_confirm(request, pk: int):
    """Import the file a successful check (dry run) has read."""
    checked = _import_job(request, pk)
    result = checked.result or {}
    params = checked.params
    key = f"situation-import:{checked.pk}"  # one import per check, however often clicked
    existing = Job.objects.filter(key=key).first()
    if existing is not None:
        return redirect("situation:import_job", existing.pk)
    if (checked.status != "succeeded" or not params.get("dry_run") or result.get("errors")
            or not Path(params["path"]).is_file()):
        messages.error(request, _("The uploaded file is gone: upload it again."))
        return redirect("situation:import")
    job = start_import(actor=request.user, municipality=checked.municipality,
                       path=params["path"], name=params["name"], what=params["what"],
                       fmt=params["fmt"], area_kind=params["area_kind"],
                       only_inside=params["only_inside"], dry_run=False, key=key)
    return redirect("situation:import_job", job.pk)
