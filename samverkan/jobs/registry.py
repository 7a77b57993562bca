"""Job functions by kind. A module registers its functions with `@job("app.name")`; the worker
finds them by kind, so a job row names what to run without importing code from a string that
a user could choose."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

from django.apps import apps
from django.utils.module_loading import module_has_submodule


@dataclass(frozen=True)
class JobType:
    kind: str
    func: Callable
    #: Template that shows the result on the job page (default: the generic one).
    result_template: str = ""
    #: How often a failed run is tried again (1 = never retried).
    max_attempts: int = 1


_TYPES: dict[str, JobType] = {}


def job(kind: str, *, result_template: str = "", max_attempts: int = 1):
    """Register ``func(ctx, **params)`` as the job ``kind``. ``ctx`` is a
    :class:`samverkan.jobs.runner.JobContext` (progress, actor, municipality)."""

    def register(func):
        _TYPES[kind] = JobType(kind, func, result_template, max_attempts)
        return func

    return register


def get(kind: str) -> JobType:
    if kind not in _TYPES:
        _load_job_modules()
    return _TYPES[kind]


def _load_job_modules() -> None:
    """Every installed app's ``jobs`` module (``samverkan.<app>.jobs``) registers its kinds."""
    for config in apps.get_app_configs():
        if config.name.startswith("samverkan.") and module_has_submodule(config.module, "jobs"):
            import_module(f"{config.name}.jobs")
