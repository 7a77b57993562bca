"""All writes of the participation app: safety walks, observations and their measures,
citizen dialogues and concerns, citizen pledges and their follow-up."""
from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from samverkan.audit import services as audit
from samverkan.audit.choices import Action
from samverkan.core import services as core

from .choices import MeasureStatus, WalkStatus
from .models import Concern, Dialogue, Observation, Pledge, PledgeFollowUp, SafetyWalk
from .photos import clean_photo

# -- safety walks ----------------------------------------------------------------------------


def create_walk(*, actor, municipality, **fields) -> SafetyWalk:
    return core.create(SafetyWalk, actor=actor, data=fields, municipality=municipality)


def update_walk(walk: SafetyWalk, *, actor, **fields) -> SafetyWalk:
    return core.update(walk, actor=actor, data=fields)


def delete_walk(walk: SafetyWalk, *, actor) -> None:
    core.delete(walk, actor=actor)


@transaction.atomic
def add_observation(*, actor, walk: SafetyWalk, photo: bytes | None = None,
                    client_key: str = "", **fields) -> Observation:
    """An observation on the walk. The same `client_key` again (a phone resending on a weak
    connection) returns the first one and writes nothing."""
    if client_key:
        existing = Observation.objects.filter(walk=walk, client_key=client_key).first()
        if existing is not None:
            return existing
    observation = core.create(Observation, actor=actor, data={
        "walk": walk, "client_key": client_key, **fields})
    if photo:
        _store_photo(observation, photo)
    return observation


def _store_photo(observation: Observation, data: bytes) -> None:
    clean = clean_photo(data)
    if not observation.client_key:
        observation.client_key = uuid.uuid4().hex
    observation.photo.save(f"{observation.client_key}.jpg", ContentFile(clean), save=False)
    observation.save(update_fields=["photo", "client_key", "updated_at"])


@transaction.atomic
def set_photo(observation: Observation, *, actor, data: bytes) -> Observation:
    before = audit.snapshot(observation)
    _store_photo(observation, data)
    audit.record(actor=actor, action=Action.UPDATE, obj=observation, before=before,
                 after=audit.snapshot(observation))
    return observation


def update_observation(observation: Observation, *, actor, **fields) -> Observation:
    """Change an observation or assign its measure (measure, responsible, deadline, status;
    a rejection needs a reason; the deadline defaults to six months after the walk)."""
    if fields.get("status") == MeasureStatus.REJECTED and not (
            fields.get("rejection_reason") or observation.rejection_reason).strip():
        raise ValidationError({"rejection_reason": _("Say why the measure was rejected.")})
    return core.update(observation, actor=actor, data=fields)


def delete_observation(observation: Observation, *, actor) -> None:
    photo = observation.photo.name
    core.delete(observation, actor=actor)
    if photo:
        transaction.on_commit(lambda: Observation.photo.field.storage.delete(photo))


def publish_protocol(walk: SafetyWalk, *, actor, on: dt.date | None = None) -> SafetyWalk:
    return core.update(walk, actor=actor, data={
        "status": WalkStatus.PUBLISHED, "published_on": on or dt.date.today()})


# -- dialogues -------------------------------------------------------------------------------


def create_dialogue(*, actor, municipality, **fields) -> Dialogue:
    return core.create(Dialogue, actor=actor, data=fields, municipality=municipality)


def update_dialogue(dialogue: Dialogue, *, actor, **fields) -> Dialogue:
    return core.update(dialogue, actor=actor, data=fields)


def delete_dialogue(dialogue: Dialogue, *, actor) -> None:
    core.delete(dialogue, actor=actor)


def add_concern(*, actor, dialogue: Dialogue, **fields) -> Concern:
    return core.create(Concern, actor=actor, data={"dialogue": dialogue, **fields})


def update_concern(concern: Concern, *, actor, **fields) -> Concern:
    return core.update(concern, actor=actor, data=fields)


def delete_concern(concern: Concern, *, actor) -> None:
    core.delete(concern, actor=actor)


@transaction.atomic
def concern_to_activity(concern: Concern, *, actor, focus_area, title: str = ""):
    """Make a plan activity of a concern (under a focus area) and link the two."""
    from samverkan.plans import services as plans

    activity = plans.create_activity(
        actor=actor, focus_area=focus_area, title=(title or concern.text)[:300],
        is_example=concern.is_example)
    core.update(concern, actor=actor, data={"activity": activity})
    return activity


# -- pledges ---------------------------------------------------------------------------------


def create_pledge(*, actor, municipality, **fields) -> Pledge:
    return core.create(Pledge, actor=actor, data=fields, municipality=municipality)


def update_pledge(pledge: Pledge, *, actor, **fields) -> Pledge:
    return core.update(pledge, actor=actor, data=fields)


def delete_pledge(pledge: Pledge, *, actor) -> None:
    core.delete(pledge, actor=actor)


def add_followup(*, actor, pledge: Pledge, **fields) -> PledgeFollowUp:
    return core.create(PledgeFollowUp, actor=actor, data={"pledge": pledge, **fields})


def update_followup(followup: PledgeFollowUp, *, actor, **fields) -> PledgeFollowUp:
    return core.update(followup, actor=actor, data=fields)


def delete_followup(followup: PledgeFollowUp, *, actor) -> None:
    core.delete(followup, actor=actor)
