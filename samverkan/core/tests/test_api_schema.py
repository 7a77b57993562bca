"""The API's OpenAPI schema is committed (docs/openapi.yaml) so that an API change shows in
review and an accidental one fails here. After an intended change regenerate it with
`./dev manage spectacular --file docs/openapi.yaml` (on SQLite, the default database: the
integer limits DRF puts in the schema come from the database backend)."""
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import translation

SCHEMA = Path(settings.BASE_DIR) / "docs" / "openapi.yaml"


@pytest.mark.skipif(connection.vendor != "sqlite",
                    reason="integer limits in the schema follow the database; the committed "
                           "schema is generated on SQLite")
def test_committed_schema_is_current(tmp_path):
    generated = tmp_path / "openapi.yaml"
    # The committed schema is in the default language, whatever an earlier test activated.
    with translation.override(settings.LANGUAGE_CODE):
        call_command("spectacular", "--file", str(generated))
    assert generated.read_text() == SCHEMA.read_text(), (
        "The API changed: regenerate docs/openapi.yaml with "
        "`./dev manage spectacular --file docs/openapi.yaml` and review the diff.")


def test_schema_and_docs_are_served(client, django_user_model):
    assert client.get("/api/schema/").status_code == 200
    response = client.get("/api/docs/")
    assert response.status_code == 200 and b"swagger" in response.content.lower()
