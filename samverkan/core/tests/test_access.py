"""Unit tests of the access choke point (`samverkan.core.access`): the rule for parents, the
prefetches that follow the reader, inheritance of a restriction, field checks, the reader of
an e-mail address, and form choices."""
from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.core.exceptions import ValidationError

from samverkan.agreements.models import Agreement, FocusArea
from samverkan.core import access
from samverkan.core import services as core
from samverkan.core.forms import ScopedForm
from samverkan.followup.models import Deviation
from samverkan.plans import services as plans
from samverkan.plans.models import Activity, Contribution
from samverkan.situation.models import Incident


@pytest.fixture
def plan(world):
    actor = world.coordinator
    agreement = core.create(Agreement, actor=actor, municipality=world.eskilstuna, data={
        "title": "Överenskommelse", "start_date": dt.date(2024, 1, 1),
        "end_date": dt.date(2027, 12, 31), "status": "active"})
    focus = core.create(FocusArea, actor=actor, data={"agreement": agreement, "number": 1,
                                                       "title": "Unga"})
    activity = plans.create_activity(actor=actor, focus_area=focus, title="Fältarbete",
                                     contributions=[{"party": "police", "text": "Närvaro"}])
    return agreement, focus, activity


def _restrict(obj, org):
    obj.confidentiality = "restricted"
    obj.save()
    obj.restricted_to.set([org])


def test_a_record_under_a_restricted_parent_is_hidden_with_it(world, plan):
    _agreement, focus, activity = plan
    _restrict(focus, world.police_org)
    for model in (FocusArea, Activity, Contribution):
        assert not model.objects.visible_to(world.reader).exists(), model
        assert not model.objects.visible_to(world.coordinator).exists(), model
        assert model.objects.visible_to(world.police_officer).exists(), model
    assert access.can_view(world.police_officer, activity)
    assert not access.can_view(world.contributor, activity)


def test_records_about_a_restricted_record_are_hidden_too(world, plan):
    _agreement, _focus, activity = plan
    deviation = core.create(Deviation, actor=world.coordinator, data={
        "activity": activity, "kind": "late", "reason": "Sjukdom"})
    _restrict(activity, world.police_org)
    assert not Deviation.objects.visible_to(world.reader).filter(pk=deviation.pk).exists()
    assert Deviation.objects.visible_to(world.police_officer).filter(pk=deviation.pk).exists()


def test_prefetches_follow_the_reader_in_any_order(world, plan):
    agreement, focus, activity = plan
    _restrict(activity.contributions.get(), world.police_org)
    for qs in (Activity.objects.visible_to(world.reader).prefetch_related("contributions"),
               Activity.objects.prefetch_related("contributions").visible_to(world.reader),
               FocusArea.objects.visible_to(world.reader).prefetch_related(
                   "activities__contributions")):
        rows = list(qs)
        contributions = ([c for r in rows for c in r.contributions.all()]
                         if rows[0].__class__ is Activity else
                         [c for r in rows for a in r.activities.all()
                          for c in a.contributions.all()])
        assert contributions == []
    police = list(Activity.objects.visible_to(world.police_officer)
                  .prefetch_related("contributions"))
    assert len(police[0].contributions.all()) == 1


def test_a_record_created_under_a_restricted_one_is_restricted_too(world, plan):
    _agreement, focus, _activity = plan
    _restrict(focus, world.police_org)
    activity = plans.create_activity(actor=world.police_officer, focus_area=focus,
                                     title="Spaning")
    assert activity.confidentiality == "restricted"
    assert list(activity.restricted_to.all()) == [world.police_org]
    with pytest.raises(ValidationError) as error:
        plans.create_activity(actor=world.police_officer, focus_area=focus, title="Öppen",
                              confidentiality="internal")
    assert "confidentiality" in error.value.message_dict


def test_fields_a_role_may_not_set_are_refused(world):
    with pytest.raises(ValidationError) as error:
        access.check_fields(world.contributor, Incident, "0484", {"status": "reviewed"})
    assert "status" in error.value.message_dict
    access.check_fields(world.coordinator, Incident, "0484", {"status": "reviewed"})
    with pytest.raises(ValidationError) as error:
        access.check_fields(world.contributor, Incident, "0484",
                            {"organization": world.police_org})
    assert "organization" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        access.check_fields(world.coordinator, Incident, "0484", {
            "confidentiality": "restricted", "restricted_to": [world.police_org]})
    assert "restricted_to" in error.value.message_dict


def test_an_address_that_is_no_user_reads_nothing_restricted(world, plan):
    _agreement, _focus, activity = plan
    reader = access.reader_for_address("someone@example.se", "0484")
    assert Activity.objects.visible_to(reader).filter(pk=activity.pk).exists()
    _restrict(activity, world.police_org)
    assert not Activity.objects.visible_to(reader).exists()
    world.police_officer.email = "kim@example.se"
    world.police_officer.save()
    assert access.reader_for_address("KIM@example.se", "0484") == world.police_officer


def test_form_choices_follow_the_rule_after_the_form_sets_them(world, plan):
    _agreement, _focus, activity = plan

    class Choice(ScopedForm):
        activity = forms.ModelChoiceField(queryset=Activity.objects.none())

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["activity"].queryset = Activity.objects.all()

    assert list(Choice(user=world.reader).fields["activity"].queryset) == [activity]
    _restrict(activity, world.police_org)
    assert list(Choice(user=world.reader).fields["activity"].queryset) == []
    assert list(Choice(user=world.police_officer).fields["activity"].queryset) == [activity]


def test_reads_of_restricted_records_are_audited_on_every_channel(world, plan, client):
    from samverkan.audit.models import AuditEntry
    from samverkan.core.testing import api_client

    _agreement, _focus, activity = plan
    _restrict(activity, world.police_org)

    def views():
        return AuditEntry.objects.filter(action="view", object_id=str(activity.pk)).count()

    api = api_client(world.police_officer)
    before = views()
    assert api.get(f"/api/v1/activities/{activity.pk}/").status_code == 200
    assert views() == before + 1
    assert api.get("/api/v1/activities/").status_code == 200
    assert views() == before + 2
    client.force_login(world.police_officer)
    assert client.get(activity.get_absolute_url()).status_code == 200
    assert views() == before + 3
    assert client.get(f"/plans/activities/{activity.pk}/edit/").status_code == 200
    assert views() == before + 4


def test_a_link_to_a_record_the_reader_may_not_read_reads_as_empty(world, plan):
    """A contribution names the social services; restricted to themselves, their name shows
    to them and to no one else, through the link and through the activity's lists, while the
    stored link is kept (a save by the reader changes nothing)."""
    from samverkan.audit.services import snapshot

    _agreement, _focus, activity = plan
    contribution = core.create(Contribution, actor=world.coordinator, data={
        "activity": activity, "party": "municipality", "text": "Hembesök",
        "organization": world.social_services})
    contribution.committees.set([world.social_services, world.municipality_org])
    activity.responsible_organizations.set([world.social_services, world.police_org])
    _restrict(world.social_services, world.social_services)

    mine = Contribution.objects.visible_to(world.contributor).get(pk=contribution.pk)
    assert mine.organization == world.social_services
    theirs = Contribution.objects.visible_to(world.reader).get(pk=contribution.pk)
    assert theirs.organization is None
    assert theirs.organization_id == world.social_services.pk  # the link itself stays
    assert list(theirs.committees.all()) == [world.municipality_org]
    loaded = Activity.objects.visible_to(world.reader).get(pk=activity.pk)
    assert set(loaded.responsible_organizations.all()) == {world.police_org}
    assert [c.organization for c in loaded.contributions.all() if c.pk == contribution.pk] \
        == [None]
    # Every path that loads records for a reader: chunked iteration, in_bulk, first().
    assert [c.organization for c in Contribution.objects.visible_to(world.reader)
            .filter(pk=contribution.pk).iterator(chunk_size=1)] == [None]
    assert Contribution.objects.visible_to(world.reader).in_bulk(
        [contribution.pk])[contribution.pk].organization is None

    # The audit log and a save keep what is stored, not what the reader sees.
    assert snapshot(theirs)["committees"] == sorted(
        [world.social_services.pk, world.municipality_org.pk])
    theirs.text = "Hembesök två gånger"
    theirs.save()
    contribution.refresh_from_db()
    assert contribution.organization_id == world.social_services.pk
    assert set(contribution.committees.values_list("pk", flat=True)) == {
        world.social_services.pk, world.municipality_org.pk}
    # A list of links saved from what the reader sees keeps the links they could not see.
    loaded.responsible_organizations.set([world.municipality_org])
    assert set(activity.responsible_organizations.through.objects.filter(
        activity=activity).values_list("organization_id", flat=True)) == {
        world.social_services.pk, world.municipality_org.pk}


def test_the_link_guard_follows_each_reader_not_the_first(world, plan):
    _agreement, _focus, activity = plan
    contribution = core.create(Contribution, actor=world.coordinator, data={
        "activity": activity, "party": "municipality", "text": "Hembesök",
        "organization": world.social_services})
    _restrict(world.social_services, world.social_services)
    for user, expected in [(world.reader, None), (world.contributor, world.social_services),
                           (world.coordinator, None), (world.police_officer, None)]:
        access.forget(user)
        assert Contribution.objects.visible_to(user).get(
            pk=contribution.pk).organization == expected, user


def test_every_form_offering_scoped_records_limits_its_choices():
    """A form with a choice of scoped records is a ScopedForm or ScopedModelForm, whose
    choices follow the read rule (no list of forms: every form of every app is found)."""
    import importlib
    import inspect
    import pkgutil

    import samverkan
    from samverkan.core.forms import _LimitChoicesAfterInit
    from samverkan.core.models import ScopedModel

    unscoped = []
    for info in pkgutil.walk_packages(samverkan.__path__, "samverkan."):
        if not info.name.endswith(".forms"):
            continue
        module = importlib.import_module(info.name)
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != module.__name__ or not issubclass(cls, forms.BaseForm):
                continue
            fields = getattr(cls, "base_fields", {})
            scoped = [f for f, field in fields.items()
                      if getattr(getattr(field, "queryset", None), "model", None) is not None
                      and issubclass(field.queryset.model, ScopedModel)]
            if scoped and not issubclass(cls, _LimitChoicesAfterInit):
                unscoped.append(f"{info.name}.{name} {scoped}")
    assert not unscoped, unscoped
