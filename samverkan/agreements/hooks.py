"""What the apps above agreements add to its pages. Agreements never imports them: each fills
these registries in its AppConfig.ready.

- Links: an app offers the URL names of its pages that the agreement pages may link to
  (`offer_links`); the templates ask with `{% agreement_link name ... %}` and get "" for a page
  no installed app offers.
- Page context: an app adds what it knows about an agreement or focus area to that page's
  context (`add_context("agreement" | "focus_area" | "agreement_delete", func)`, where
  `func(ctx, obj, user)` updates `ctx`), e.g. the action plan's counts and tables.
"""
from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.urls import reverse

PAGES = ("agreement", "focus_area", "agreement_delete")

_links: set[str] = set()
_context: dict[str, list[Callable]] = {page: [] for page in PAGES}


def offer_links(*url_names: str) -> None:
    _links.update(url_names)


def link(name: str, *args, **query) -> str:
    """The URL of an offered page (keyword arguments become the query string), else ""."""
    if name not in _links:
        return ""
    url = reverse(name, args=args)
    return f"{url}?{urlencode(query)}" if query else url


def add_context(page: str, func: Callable) -> None:
    if page not in _context:
        raise ValueError(f"Unknown agreement page {page!r}; one of {PAGES}.")
    if func not in _context[page]:
        _context[page].append(func)


def extend_context(page: str, ctx: dict, obj, user) -> None:
    for func in _context[page]:
        func(ctx, obj, user)
