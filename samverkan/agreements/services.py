"""Writes for agreements and everything an agreement holds.

Every function takes the acting user explicitly (`actor`), validates, writes inside a
transaction and writes exactly one audit entry per record written (through
`samverkan.core.services`). Views, the API, the demo loader and management commands call these.
"""
from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from samverkan.core import services
from samverkan.core.choices import Confidentiality
from samverkan.organizations.models import Organization

from .choices import PartyRole
from .models import (
    Agreement,
    Commitment,
    DataSource,
    Definition,
    FocusArea,
    FollowUpEntry,
    Forum,
    ForumMember,
    Party,
    Practice,
    PriorityArea,
    Signatory,
    SubGoal,
)


def _inherit_confidentiality(parent, fields: dict) -> dict:
    """A record inside a restricted parent is restricted to the same organisations unless the
    caller says otherwise: otherwise its content would leak past the parent's restriction."""
    # Internal is the default; a restricted parent (any visibility parent) is applied by
    # core.services.create, which also refuses a wider level under a restricted record.
    if "confidentiality" in fields or parent.confidentiality == Confidentiality.INTERNAL:
        return fields
    fields = dict(fields)
    fields["confidentiality"] = parent.confidentiality
    if parent.confidentiality == Confidentiality.RESTRICTED and "restricted_to" not in fields:
        fields["restricted_to"] = list(parent.restricted_to.all())
    return fields


def _create_child(model, *, actor, parent_field: str, parent, fields: dict):
    fields = _inherit_confidentiality(parent, fields)
    fields.pop("municipality", None)
    return services.create(model, actor=actor, data={parent_field: parent, **fields},
                           municipality=parent.municipality)


def _update_child(obj, *, actor, parent_field: str, fields: dict):
    """Children never move to another parent: the parent field is ignored on update."""
    fields = {k: v for k, v in fields.items() if k not in (parent_field, "municipality")}
    return services.update(obj, actor=actor, data=fields)


# -- agreement ----------------------------------------------------------------------------------

@transaction.atomic
def create_agreement(*, actor, municipality, parties: Iterable[tuple[Organization, str]] = (),
                     **fields) -> Agreement:
    """Create an agreement and, optionally, its parties as (organisation, role) pairs.

    One audit entry for the agreement and one for each party."""
    fields.pop("municipality", None)
    agreement = services.create(Agreement, actor=actor, data=fields, municipality=municipality)
    for organization, role in parties:
        add_party(actor=actor, agreement=agreement, organization=organization, role=role)
    return agreement


def update_agreement(agreement: Agreement, *, actor, **fields) -> Agreement:
    fields.pop("municipality", None)
    return services.update(agreement, actor=actor, data=fields)


def delete_agreement(agreement: Agreement, *, actor) -> None:
    """Delete the agreement with everything it holds (focus areas, forums, the action plan)."""
    services.delete(agreement, actor=actor)


# -- parties and signatories --------------------------------------------------------------------

def _check_party(agreement: Agreement, organization: Organization | None, role: str,
                 exclude_pk=None) -> None:
    if organization is None:
        return
    if organization.municipality_id != agreement.municipality_id:
        raise ValidationError({"organization": _("This belongs to another municipality.")})
    duplicates = Party.objects.filter(agreement=agreement, organization=organization)
    if exclude_pk is not None:
        duplicates = duplicates.exclude(pk=exclude_pk)
    if duplicates.exists():
        raise ValidationError({"organization": _(
            "This organisation is already a party to the agreement.")})
    if role not in PartyRole.values:
        raise ValidationError({"role": _("Choose a role for the party.")})


def add_party(*, actor, agreement: Agreement, organization: Organization, role: str,
              **fields) -> Party:
    _check_party(agreement, organization, role)
    return _create_child(Party, actor=actor, parent_field="agreement", parent=agreement,
                         fields={"organization": organization, "role": role, **fields})


def update_party(party: Party, *, actor, **fields) -> Party:
    _check_party(party.agreement, fields.get("organization", party.organization),
                 fields.get("role", party.role), exclude_pk=party.pk)
    return _update_child(party, actor=actor, parent_field="agreement", fields=fields)


def remove_party(party: Party, *, actor) -> None:
    services.delete(party, actor=actor)


def add_signatory(*, actor, agreement: Agreement, **fields) -> Signatory:
    return _create_child(Signatory, actor=actor, parent_field="agreement", parent=agreement,
                         fields=fields)


def update_signatory(signatory: Signatory, *, actor, **fields) -> Signatory:
    return _update_child(signatory, actor=actor, parent_field="agreement", fields=fields)


def remove_signatory(signatory: Signatory, *, actor) -> None:
    services.delete(signatory, actor=actor)


# -- priority areas, data sources ---------------------------------------------------------------

def _check_unique_priority_area(agreement: Agreement, name: str, exclude_pk=None) -> None:
    same = PriorityArea.objects.filter(agreement=agreement, name__iexact=(name or "").strip())
    if exclude_pk is not None:
        same = same.exclude(pk=exclude_pk)
    if name and same.exists():
        raise ValidationError({"name": _("The agreement already has an area with this name.")})


def add_priority_area(*, actor, agreement: Agreement, **fields) -> PriorityArea:
    _check_unique_priority_area(agreement, fields.get("name", ""))
    return _create_child(PriorityArea, actor=actor, parent_field="agreement", parent=agreement,
                         fields=fields)


def update_priority_area(area: PriorityArea, *, actor, **fields) -> PriorityArea:
    if "name" in fields:
        _check_unique_priority_area(area.agreement, fields["name"], exclude_pk=area.pk)
    return _update_child(area, actor=actor, parent_field="agreement", fields=fields)


def remove_priority_area(area: PriorityArea, *, actor) -> None:
    services.delete(area, actor=actor)


def add_data_source(*, actor, agreement: Agreement, **fields) -> DataSource:
    return _create_child(DataSource, actor=actor, parent_field="agreement", parent=agreement,
                         fields=fields)


def update_data_source(source: DataSource, *, actor, **fields) -> DataSource:
    return _update_child(source, actor=actor, parent_field="agreement", fields=fields)


def remove_data_source(source: DataSource, *, actor) -> None:
    services.delete(source, actor=actor)


# -- forums and their members -------------------------------------------------------------------

def create_forum(*, actor, agreement: Agreement, **fields) -> Forum:
    return _create_child(Forum, actor=actor, parent_field="agreement", parent=agreement,
                         fields=fields)


def update_forum(forum: Forum, *, actor, **fields) -> Forum:
    return _update_child(forum, actor=actor, parent_field="agreement", fields=fields)


def delete_forum(forum: Forum, *, actor) -> None:
    """Follow-up plan entries that named the forum keep their wording and lose the link."""
    services.delete(forum, actor=actor)


def add_forum_member(*, actor, forum: Forum, **fields) -> ForumMember:
    return _create_child(ForumMember, actor=actor, parent_field="forum", parent=forum,
                         fields=fields)


def update_forum_member(member: ForumMember, *, actor, **fields) -> ForumMember:
    return _update_child(member, actor=actor, parent_field="forum", fields=fields)


def remove_forum_member(member: ForumMember, *, actor) -> None:
    services.delete(member, actor=actor)


# -- follow-up plan -----------------------------------------------------------------------------

def _check_followup_forum(agreement: Agreement, forum: Forum | None) -> None:
    if forum is not None and forum.agreement_id != agreement.pk:
        raise ValidationError({"forum": _("The forum belongs to another agreement.")})


def add_followup_entry(*, actor, agreement: Agreement, **fields) -> FollowUpEntry:
    _check_followup_forum(agreement, fields.get("forum"))
    return _create_child(FollowUpEntry, actor=actor, parent_field="agreement",
                         parent=agreement, fields=fields)


def update_followup_entry(entry: FollowUpEntry, *, actor, **fields) -> FollowUpEntry:
    if "forum" in fields:
        _check_followup_forum(entry.agreement, fields["forum"])
    return _update_child(entry, actor=actor, parent_field="agreement", fields=fields)


def remove_followup_entry(entry: FollowUpEntry, *, actor) -> None:
    services.delete(entry, actor=actor)


# -- focus areas and sub-goals ------------------------------------------------------------------

def _next_number(queryset) -> int:
    numbers = [n for n in queryset.values_list("number", flat=True) if n is not None]
    return max(numbers, default=0) + 1


def create_focus_area(*, actor, agreement: Agreement, **fields) -> FocusArea:
    """A focus area without a number gets the next free one."""
    if fields.get("number") is None:
        fields["number"] = _next_number(FocusArea.objects.filter(agreement=agreement))
    return _create_child(FocusArea, actor=actor, parent_field="agreement", parent=agreement,
                         fields=fields)


def update_focus_area(focus_area: FocusArea, *, actor, **fields) -> FocusArea:
    return _update_child(focus_area, actor=actor, parent_field="agreement", fields=fields)


def delete_focus_area(focus_area: FocusArea, *, actor) -> None:
    """Deletes the focus area's sub-goals, activities and indicators with it."""
    services.delete(focus_area, actor=actor)


def add_sub_goal(*, actor, focus_area: FocusArea, **fields) -> SubGoal:
    """A sub-goal without a number gets the next free one within its focus area."""
    if fields.get("number") is None:
        fields["number"] = _next_number(SubGoal.objects.filter(focus_area=focus_area))
    return _create_child(SubGoal, actor=actor, parent_field="focus_area", parent=focus_area,
                         fields=fields)


def update_sub_goal(sub_goal: SubGoal, *, actor, **fields) -> SubGoal:
    return _update_child(sub_goal, actor=actor, parent_field="focus_area", fields=fields)


def remove_sub_goal(sub_goal: SubGoal, *, actor) -> None:
    """Activities under the sub-goal stay in the focus area without a sub-goal."""
    services.delete(sub_goal, actor=actor)


# -- joint commitments, terms, working methods and routines ------------------------------------

def add_commitment(*, actor, agreement: Agreement, **fields) -> Commitment:
    """A commitment without a number gets the next free one."""
    if fields.get("number") is None:
        fields["number"] = _next_number(Commitment.objects.filter(agreement=agreement))
    return _create_child(Commitment, actor=actor, parent_field="agreement", parent=agreement,
                         fields=fields)


def update_commitment(commitment: Commitment, *, actor, **fields) -> Commitment:
    return _update_child(commitment, actor=actor, parent_field="agreement", fields=fields)


def remove_commitment(commitment: Commitment, *, actor) -> None:
    services.delete(commitment, actor=actor)


def add_definition(*, actor, agreement: Agreement, **fields) -> Definition:
    return _create_child(Definition, actor=actor, parent_field="agreement", parent=agreement,
                         fields=fields)


def update_definition(definition: Definition, *, actor, **fields) -> Definition:
    return _update_child(definition, actor=actor, parent_field="agreement", fields=fields)


def remove_definition(definition: Definition, *, actor) -> None:
    services.delete(definition, actor=actor)


def add_practice(*, actor, agreement: Agreement, **fields) -> Practice:
    return _create_child(Practice, actor=actor, parent_field="agreement", parent=agreement,
                         fields=fields)


def update_practice(practice: Practice, *, actor, **fields) -> Practice:
    return _update_child(practice, actor=actor, parent_field="agreement", fields=fields)


def remove_practice(practice: Practice, *, actor) -> None:
    services.delete(practice, actor=actor)
