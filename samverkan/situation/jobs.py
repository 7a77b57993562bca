"""The situation app's background jobs and e-mails (samverkan.jobs)."""
from __future__ import annotations

from pathlib import Path

from django.utils import translation
from django.utils.translation import gettext as _

from samverkan.jobs.documents import document_builder
from samverkan.jobs.email import email_builder
from samverkan.jobs.registry import job

from . import weekly


@email_builder("situation.weekly_picture")
def weekly_picture_email(recipient: str, **args):
    from django.conf import settings

    with translation.override(settings.LANGUAGE_CODE):
        return weekly.weekly_picture_email(recipient, **args)


# -- imports as jobs ---------------------------------------------------------------------------

#: At most this many row errors are kept with a job's result (the summary counts them all).
KEPT_ERRORS = 1000


@job("situation.import", result_template="situation/_import_result.html")
def import_file(ctx, *, path: str, name: str, what: str, fmt: str = "csv",
                area_kind: str = "district", only_inside: bool = False,
                dry_run: bool = True) -> dict:
    """Check (dry run) or import an uploaded file of incidents or areas, with progress."""
    from django.conf import settings

    from samverkan.core.importing import error_summary

    from .importers import import_incidents
    from .importers.areas import import_areas

    stored = Path(path)
    with translation.override(settings.LANGUAGE_CODE):
        ctx.progress(0.0, _("Reading %(name)s") % {"name": name})
        if what == "areas":
            result = import_areas(stored.read_bytes(), municipality=ctx.municipality,
                                  actor=ctx.actor, kind=area_kind, only_inside=only_inside,
                                  source=name, dry_run=dry_run)
            data = result.as_dict()
        else:
            result = import_incidents(stored, fmt=fmt, municipality=ctx.municipality,
                                      actor=ctx.actor, dry_run=dry_run, label=name,
                                      progress=lambda f, m: ctx.progress(0.95 * f, m))
            data = result.as_dict()
    errors = result.errors
    data["errors"] = data["errors"][:KEPT_ERRORS]
    data["error_count"] = len(errors)
    data["error_summary"] = error_summary(errors)
    data.update(what=what, name=name, dry_run=dry_run, format=fmt)
    if errors or not dry_run:
        stored.unlink(missing_ok=True)  # the file is kept only for the import after the check
    return data


def stored_upload_dir() -> Path:
    from django.conf import settings

    return Path(settings.MEDIA_ROOT) / "imports"


@document_builder("situation.yearly_picture")
def yearly_picture_document(user, *, municipality: str, year: int,
                            fmt: str = "docx") -> tuple[bytes, str]:
    """The yearly situation picture as Word or PDF, as ``user`` may see it."""
    from samverkan.organizations.models import Municipality

    from . import yearly

    place = Municipality.objects.get(pk=municipality)
    data = yearly.build_yearly(user, place, year)
    name = f"lagesbild_{place.name.replace(' ', '_')}_{year}.{fmt}"
    doc = yearly.yearly_document(data)
    return (doc.to_pdf() if fmt == "pdf" else doc.to_docx()), name
