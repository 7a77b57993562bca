"""The registry through which apps supply evidence to the compliance page.

The compliance page (`samverkan.meetings.compliance`) judges the checkpoints of Brå's five steps
and the duties of Lag (2023:196). Some checkpoints rest on records that live in apps *above*
meetings in the one-way stack (citizen dialogues and pledges in the residents' modules, fault
reports, individual-level SSPF work). Meetings must not import those apps, so they register
here instead, from their `AppConfig.ready()`:

    from samverkan.core import checkpoints

    def pledges_published(ctx: checkpoints.Context) -> checkpoints.Finding:
        pledges = ctx.visible(Pledge.objects.filter(agreement=ctx.agreement, published=True))
        ...
        return checkpoints.Finding(met=bool(pledges), summary=..., evidence=[...])

    class ParticipationConfig(AppConfig):
        def ready(self):
            checkpoints.register("pledges_published", pledges_published, app="participation")

A checkpoint that has no rule of its own and no registered source is shown as "not measurable
yet: no data source in the system", neither done nor not done. For a checkpoint that has a rule
of its own, what a source returns is shown as further evidence and does not change the verdict.

Which app supplies what (see docs/compliance.md):

    citizen_dialogues   the residents' modules (issue 11): held citizen dialogues
    pledges_published   the residents' modules (issue 11): pledges signed and published
    pledges_reported    the residents' modules (issue 11): a public report on the pledges
    any key with a rule further evidence only, e.g. fault reports (issue 12) as other
                        information for the situation picture; SSPF cases (issue 15) supply
                        nothing: the checkpoints concern the collaboration, not individuals

Every query a source makes goes through `ctx.visible(queryset)`: for a signed-in user that is
the access rule (`visible_to`); for the history, which every reader of the agreement may see,
it is what everyone in the collaboration may read (nothing restricted). A source must build its
verdict only from what `ctx.visible` returns, so that the verdict never reveals a record the
reader may not see.
"""
from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from .choices import Confidentiality


@dataclass
class Evidence:
    """One record the verdict rests on, with a link to it."""

    label: str
    url: str = ""
    date: datetime.date | None = None
    is_example: bool = False


@dataclass
class Finding:
    """What a rule (or a registered source) found. `met` None: cannot be judged from data."""

    met: bool | None
    summary: str
    evidence: list[Evidence] = field(default_factory=list)
    date: datetime.date | None = None  # when it was last done, where the data says


@dataclass
class Context:
    """What a rule gets: the agreement, the day of judgment and the reader.

    `user` None means "everyone in the collaboration" (used for the history)."""

    agreement: object
    today: datetime.date
    user: object | None = None
    period_start: datetime.date | None = None

    def visible(self, queryset):
        if self.user is not None:
            from . import access

            return access.filter_visible(queryset, self.user)
        if hasattr(queryset.model, "confidentiality"):
            return queryset.exclude(confidentiality=Confidentiality.RESTRICTED)
        return queryset


Source = Callable[[Context], Finding]


@dataclass
class Registration:
    key: str
    source: Source
    app: str


_REGISTRY: dict[str, list[Registration]] = {}


def register(key: str, source: Source, *, app: str) -> None:
    """Let `app` supply evidence for the checkpoint `key` (idempotent per app and key)."""
    entries = _REGISTRY.setdefault(key, [])
    entries[:] = [e for e in entries if e.app != app]
    entries.append(Registration(key=key, source=source, app=app))


def unregister(key: str, *, app: str) -> None:
    if key in _REGISTRY:
        _REGISTRY[key] = [e for e in _REGISTRY[key] if e.app != app]


def sources(key: str) -> list[Registration]:
    return list(_REGISTRY.get(key, ()))
