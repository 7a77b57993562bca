"""Survey imports as background jobs (samverkan.jobs), like the incident import: the uploaded
file is stored as a file of its own, a first job checks it (a dry run: nothing is saved), and a
second job imports it when the coordinator confirms. The API (``POST
/api/v1/surveys/<id>/import/``) queues the same job, a check or an import at once. Both are all
or nothing; importing the same file again changes nothing (the survey keeps the file's
checksum)."""
from __future__ import annotations

import uuid
from pathlib import Path

from django.utils import translation
from django.utils.translation import gettext as _

from samverkan.jobs.registry import job

KIND = "surveys.import"
#: At most this many row errors are kept with a job's result (the summary counts them all).
KEPT_ERRORS = 1000


def stored_upload_dir() -> Path:
    from django.conf import settings

    return Path(settings.MEDIA_ROOT) / "imports" / "surveys"


def store_upload(upload) -> str:
    """The upload as a file of its own (never in the session): the jobs read it from there."""
    folder = stored_upload_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4().hex}.upload"
    with open(path, "wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return str(path)


def start_import(*, actor, survey, path: str, name: str, kind: str, dry_run: bool,
                 key: str | None = None, keep_checked_file: bool = True):
    """Queue the check (``dry_run``) or the import of the stored file ``path``. The page keeps
    a well-checked file for the import the coordinator confirms; the API, which has no such
    step, passes ``keep_checked_file=False`` so that the file is deleted after the check."""
    from samverkan.jobs import services as jobs

    label = (_("Check of %(name)s for %(survey)s") if dry_run
             else _("Import of %(name)s into %(survey)s")) % {"name": name, "survey": survey}
    return jobs.start(KIND, label=label, actor=actor, municipality=survey.municipality, key=key,
                      params={"survey": survey.pk, "path": path, "name": name, "kind": kind,
                              "dry_run": dry_run, "keep_checked_file": keep_checked_file})


@job(KIND, result_template="surveys/_import_result.html")
def import_file(ctx, *, survey: int, path: str, name: str, kind: str,
                dry_run: bool = True, keep_checked_file: bool = True) -> dict:
    """Check (dry run) or import a stored file of respondents' answers or aggregated results
    into ``survey``, as the person who started the job may (the rule is applied again here:
    access may have changed since the upload)."""
    from django.conf import settings

    from samverkan.core import access

    from . import services
    from .models import Survey

    stored = Path(path)
    common = {"survey": survey, "name": name, "kind": kind, "dry_run": dry_run,
              "keep_checked_file": keep_checked_file}
    with translation.override(settings.LANGUAGE_CODE):
        record = access.filter_visible(Survey.objects.all(), ctx.actor).filter(
            pk=survey).first()
        problem = ""
        if record is None or not access.can_change(ctx.actor, record):
            problem = _("You may not change this survey.")
        elif not stored.is_file():
            problem = _("The uploaded file is gone: upload it again.")
        if problem:
            stored.unlink(missing_ok=True)
            error = {"row": 0, "column": "", "message": problem}
            return {"rows": 0, "created": 0, "unchanged": False, "errors": [error],
                    "error_count": 1, "error_summary": [], **common}
        ctx.progress(0.05, _("Reading %(name)s") % {"name": name})
        data = stored.read_bytes()
        ctx.progress(0.3, _("Computing the results") if kind == "respondents"
                     else _("Reading the results"))
        run = services.import_respondents if kind == "respondents" \
            else services.import_aggregated
        result = run(record, data, name, actor=ctx.actor, dry_run=dry_run)
        ctx.progress(0.95, _("Done"))
    out = result.as_dict()
    out["errors"] = out["errors"][:KEPT_ERRORS]
    out["error_count"] = len(result.errors)
    out.update(common)
    if result.errors or result.unchanged or not dry_run or not keep_checked_file:
        stored.unlink(missing_ok=True)  # kept only for the import after a good check
    return out
