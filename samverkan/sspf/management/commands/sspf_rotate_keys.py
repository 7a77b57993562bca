"""Re-encrypt the personal data of SSPF/SIG cases with the newest key (docs/sspf.md).

Put the new key first in SSPF_FIELD_KEYS, keep the old ones after it, run this command, then
remove the old keys. Signed consent forms are re-encrypted too."""
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.db import transaction

from samverkan.sspf import crypto
from samverkan.sspf.models import AgreedAction, Case, Consent, TeamMeeting

FIELDS = {Case: ["person_name", "personal_number"], Consent: ["giver_name", "document_name"],
          TeamMeeting: ["notes"], AgreedAction: ["description"]}


class Command(BaseCommand):
    help = "Re-encrypt SSPF/SIG personal data with the first key of SSPF_FIELD_KEYS."

    @transaction.atomic
    def handle(self, *args, **options):
        total = 0
        for model, names in FIELDS.items():
            for obj in model._base_manager.all().iterator():
                # Reading decrypts with any configured key; saving encrypts with the first.
                model._base_manager.filter(pk=obj.pk).update(
                    **{name: getattr(obj, name) for name in names})
                total += 1
        files = 0
        for consent in Consent._base_manager.exclude(document_path=""):
            with default_storage.open(consent.document_path, "rb") as handle:
                token = handle.read()
            fresh = crypto.fernet().rotate(token)
            default_storage.delete(consent.document_path)
            default_storage.save(consent.document_path, ContentFile(fresh))
            files += 1
        self.stdout.write(f"Re-encrypted {total} record(s) and {files} signed form(s).")
