"""The interface speaks Swedish public administration (docs/glossary.md): the words that mean
something else there are gone from every catalogue and every page, and where a page quotes
Lag (2023:196) it quotes the checked words and names the paragraph."""
import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from samverkan.core import law
from samverkan.followup import demo as followup_demo
from samverkan.followup.tests.test_demo import load_demo_base
from samverkan.meetings import demo as meetings_demo
from samverkan.organizations.models import Organization
from samverkan.plans.models import Activity, Indicator

APPS = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 1, 20)

# Swedish words the interface must not use, and why (see docs/glossary.md).
MISLEADING = {
    r"[Bb]idragsgivare": "a donor: the role is 'medverkande'",
    r"[Ss]ekretess": "a legal assessment under the secrecy act: say 'åtkomstnivå'",
    r"[Ll]edamot|[Ll]edamöter": "for elected bodies: staff forums have 'deltagare'",
    r"[Vv]erkställande utskott": "the kind of forum is 'arbetsutskott (AU)'",
    r"åtgärdsprogram": "the law's word is 'åtgärdsplan'",
    r"statistiskt säker": "say 'statistiskt signifikant'",
    r"[Aa]ndel av vägen": "say 'måluppfyllelse'",
    r"\bbakåt\b": "say 'åt fel håll'",
    r"[Ee]ffekter som syns": "say 'iakttagna effekter'",
    r"beslutade på EST|EST-mötet beslut": "the EST meeting agrees: 'överenskomna'",
    r"Medborgarlöftena är återrapporterade": "presumes pledges an agreement may not have",
    r"omfattning, utveckling, var, när": "not the wording of 4 § Lag (2023:196)",
}


def msgstrs(path: Path) -> list[str]:
    """The Swedish texts of a catalogue (obsolete entries included: they can come back)."""
    text = path.read_text(encoding="utf-8")
    out, current = [], None
    for line in text.splitlines():
        line = line.removeprefix("#~ ")
        if line.startswith("msgstr"):
            current = [line.split('"', 1)[1].rsplit('"', 1)[0]]
            out.append(current)
        elif line.startswith('"') and current is not None:
            current.append(line[1:-1])
        else:
            current = None
    return ["".join(parts) for parts in out]


@pytest.mark.parametrize("catalogue", sorted(APPS.glob("*/locale/sv/LC_MESSAGES/django.po")),
                         ids=lambda p: p.parts[-5])
def test_no_misleading_word_in_the_swedish_catalogues(catalogue):
    found = [(pattern, why, text) for text in msgstrs(catalogue)
             for pattern, why in MISLEADING.items() if re.search(pattern, text)]
    assert found == []


@pytest.fixture
def demo(db, settings):
    settings.LANGUAGE_CODE = "sv"
    agreement = load_demo_base()
    followup_demo.load(actor=None, today=TODAY)
    held, _upcoming = meetings_demo.load(actor=None, today=TODAY)
    return {"agreement": agreement, "held": held}


def swedish_page(client, url) -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="sv")
    assert response.status_code == 200, url
    return response.content.decode()


def test_no_misleading_word_on_the_pages(client, demo):
    agreement = demo["agreement"]
    client.force_login(get_user_model().objects.get(username="samordnare"))
    kug = agreement.forums.get(abbreviation="KUG")
    social = Organization.objects.get(municipality=agreement.municipality,
                                      name="Socialförvaltningen")
    urls = [
        agreement.get_absolute_url(), kug.get_absolute_url(),
        reverse("agreements:agreement_update", args=[agreement.pk]),
        reverse("plans:activity_list") + f"?agreement={agreement.pk}",
        Activity.objects.filter(agreement=agreement).first().get_absolute_url(),
        reverse("plans:activity_update",
                args=[Activity.objects.filter(agreement=agreement).first().pk]),
        Indicator.objects.filter(agreement=agreement).first().get_absolute_url(),
        reverse("followup:dashboard", args=[agreement.pk]),
        reverse("followup:deviation_list"),
        demo["held"].get_absolute_url(),
        reverse("meetings:forum_attendance", args=[kug.pk]),
        reverse("meetings:compliance", args=[agreement.pk]),
        reverse("situation:weekly"), reverse("situation:yearly"),
        reverse("situation:incident_list"), social.get_absolute_url(),
    ]
    for url in urls:
        html = swedish_page(client, url)
        for pattern, why in MISLEADING.items():
            assert not re.search(pattern, html), (url, pattern, why)
    # ... and the words a coordinator expects.
    html = swedish_page(client, social.get_absolute_url())
    assert "Medverkande" in html
    for url in (kug.get_absolute_url(), agreement.get_absolute_url(),
                reverse("meetings:forum_attendance", args=[kug.pk])):
        html = swedish_page(client, url)
        # A forum has participants, not members (the organisations' word for their users);
        # the agreement's own text may say "Medlemmar", the interface's labels do not.
        assert "Deltagare" in html and ">Medlemmar" not in html, url
    html = swedish_page(client, Activity.objects.filter(agreement=agreement).first()
                        .get_absolute_url())
    assert "Åtkomstnivå" in html
    html = swedish_page(client, reverse("situation:weekly"))
    assert "statistiskt signifikant" in html and "Åtgärder överenskomna på EST-mötet" in html


def test_the_yearly_picture_quotes_4_section_of_the_law(client, demo):
    client.force_login(get_user_model().objects.get(username="samordnare"))
    quote = ("”1. en kartläggning av brottsligheten, dess omfattning och konsekvenser, "
             "2. annan information av betydelse i sammanhanget”")
    assert law.section_4_quote() == quote
    html = swedish_page(client, reverse("situation:yearly") + "?year=2025")
    assert "4 § lagen (2023:196) om kommuners ansvar för brottsförebyggande arbete" in html
    assert quote in html
    for heading in ("1. Kartläggning av brottsligheten, dess omfattning och konsekvenser",
                    "2. Annan information av betydelse i sammanhanget",
                    "3. Analys av kartläggningen"):
        assert heading in html
    document = client.get(reverse("situation:yearly_export") + "?year=2025",
                          HTTP_ACCEPT_LANGUAGE="sv").content
    with zipfile.ZipFile(io.BytesIO(document)) as archive:
        text = archive.read("word/document.xml").decode()
    assert "dess omfattning och konsekvenser" in text and "4 §" in text


def test_the_compliance_page_uses_the_laws_words(client, demo):
    client.force_login(get_user_model().objects.get(username="samordnare"))
    html = swedish_page(client, reverse("meetings:compliance", args=[demo["agreement"].pk]))
    assert "En åtgärdsplan är beslutad utifrån lägesbilden" in html
    assert "samordningsfunktion" in html
    assert "Om medborgarlöften har getts" in html
