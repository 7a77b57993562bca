import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Photos are written under a temporary MEDIA_ROOT, never the project's."""
    settings.MEDIA_ROOT = tmp_path / "media"
