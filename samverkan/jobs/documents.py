"""Documents as background jobs: a document that takes more than a moment to build (the yearly
situation picture with its charts) is built by a worker and stored as a file; the job page
then offers it for download to the people who may see the job.

Register a builder in the app's ``jobs`` module: ``@document_builder("app.name")``,
``build(user, **args) -> (bytes, filename)``, built for the user who asked (their access
rules), and start it with ``start_document(...)``."""
from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

from django.conf import settings

from . import registry
from .registry import job

_BUILDERS: dict[str, Callable] = {}


def document_builder(name: str):
    def register(func):
        _BUILDERS[name] = func
        return func

    return register


def document_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "documents"


def start_document(*, builder: str, args: dict, label: str, actor, municipality):
    from .services import start

    return start("documents.build", label=label, actor=actor, municipality=municipality,
                 params={"builder": builder, "args": args})


@job("documents.build", result_template="jobs/_file_result.html")
def build_document(ctx, *, builder: str, args: dict) -> dict:
    from django.utils import translation

    if builder not in _BUILDERS:
        registry._load_job_modules()
    ctx.progress(0.1, "")
    with translation.override(settings.LANGUAGE_CODE):
        data, filename = _BUILDERS[builder](ctx.actor, **args)
    folder = document_dir()
    folder.mkdir(parents=True, exist_ok=True)
    stored = f"{ctx.job.pk}-{uuid.uuid4().hex}{Path(filename).suffix}"
    (folder / stored).write_bytes(data)
    return {"file": stored, "filename": filename, "size": len(data)}
