import pytest

from samverkan.agreements.services import create_agreement, update_agreement
from samverkan.audit.models import AuditEntry


def test_changed_fields_use_labels_and_choice_names(world):
    agreement = create_agreement(
        actor=world.coordinator, municipality=world.eskilstuna,
        title="Samverkansöverenskommelse 2024–2027", start_date="2024-01-01",
        end_date="2027-12-31", status="draft")
    update_agreement(agreement, actor=world.coordinator, status="active")
    entry = AuditEntry.objects.for_object(agreement).first()
    assert entry.action == "update"
    assert ("Status", "Utkast", "Gällande") in [
        (label, str(old), str(new)) for label, old, new in entry.changed_fields]


def test_entries_cannot_be_changed_or_deleted(world):
    agreement = create_agreement(
        actor=world.coordinator, municipality=world.eskilstuna, title="Avtal",
        start_date="2024-01-01", end_date="2027-12-31")
    entry = AuditEntry.objects.for_object(agreement).get()
    entry.object_repr = "changed"
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        AuditEntry.objects.all().delete()
    with pytest.raises(TypeError):
        AuditEntry.objects.update(object_repr="x")
