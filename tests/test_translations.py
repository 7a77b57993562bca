"""Every text the code and the templates mark for translation has a Swedish translation.

Each app's messages are extracted afresh with ``makemessages`` (into a copy, so the app's own
catalogue is untouched) and looked up in the catalogue Django serves in Swedish: the apps'
compiled catalogues together with Django's own. A text missing there shows in English in the
Swedish interface, as "Cameras" in the menu did."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.apps import apps
from django.utils.translation import trans_real

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(shutil.which("xgettext") is None,
                                reason="makemessages needs GNU gettext (xgettext)")

APPS = sorted(config.name for config in apps.get_app_configs()
              if config.name.startswith("samverkan.") and (Path(config.path) / "locale").is_dir())


def _extract(app_path: Path, tmp_path: Path) -> polib.POFile:
    copy = tmp_path / app_path.name
    shutil.copytree(app_path, copy, ignore=shutil.ignore_patterns(
        "locale", "data", "static", "tests", "__pycache__"))
    (copy / "locale").mkdir()
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "makemessages", "-l", "sv",
                    "--no-location", "-v0"], cwd=copy, check=True, capture_output=True,
                   timeout=300)
    return polib.pofile(str(copy / "locale" / "sv" / "LC_MESSAGES" / "django.po"))


def _key(entry: polib.POEntry):
    key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
    return (key, 0) if entry.msgid_plural else key


@pytest.mark.parametrize("app_name", APPS)
def test_every_text_of_the_app_is_translated_to_swedish(app_name, tmp_path):
    catalog = trans_real.translation("sv")._catalog
    extracted = _extract(Path(apps.get_app_config(app_name.rsplit(".", 1)[-1]).path), tmp_path)
    assert len(extracted) > 0
    missing = [entry.msgid for entry in extracted if _key(entry) not in catalog]
    assert not missing, f"{app_name}: not translated to Swedish: {missing}"


def test_month_names_stay_lower_case_in_swedish():
    """The apps' catalogues come before Django's: one that translated "November" as
    "November" once capitalised every date on the site ("3 November 2026")."""
    import datetime

    from django.utils import dateformat, translation

    with translation.override("sv"):
        assert dateformat.format(datetime.date(2026, 11, 3), "j F Y") == "3 november 2026"
        assert dateformat.format(datetime.date(2027, 5, 13), "j F Y") == "13 maj 2027"
