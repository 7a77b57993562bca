"""Explicit mapping from Police event ``type`` to our EST category slugs.

EST (effektiv samordning för trygghet) categories describe local, place-bound problems.
A Police event type is a coarse label, so the mapping is deliberately conservative:
anything that is not clearly one of the categories is ``ovrigt``. Decisions:

* ``Brand`` is **not** ``anlagd_brand``: most fires are accidents. It becomes
  ``anlagd_brand`` only when the summary says so (``anlagd``/``anlagt``/``mordbrand``, see
  :func:`category_for`); ``Mordbrand`` is always ``anlagd_brand``.
* Robbery (``Rån*``) is ``stold_inbrott`` (a property crime for EST purposes), as are
  ``Häleri`` (receiving), ``Åldringsbrott`` (mostly thefts from elderly people by deception,
  e.g. "falsk hemtjänst"), ``Hemfridsbrott`` and ``Olaga intrång`` (intrusion).
* Violence, threats, sexual offences, shootings, explosions/detonations (in this material
  predominantly criminal blasts), weapons and knife-law offences and the "overfall"
  alarm are ``hot_vald``.
* Traffic *offences* (``Trafikbrott``, ``Rattfylleri``, ``Olovlig körning``, hit-and-run)
  are ``otrygg_trafik``. Traffic *accidents*, obstructions and planned traffic controls are
  ``ovrigt``: they are mostly on through roads and say little about perceived local safety.
* Public-order events (``Ordningslagen``, ``Fylleri/LOB``, ``Bråk``, ``Alkohollagen``,
  ``Smällar``) are ``ordningsstorning``.
* ``Bedrägeri`` (fraud, mostly online/phone) and ``Hets mot folkgrupp`` are ``ovrigt``:
  not place-bound.
* ``klotter``, ``nedskrapning``, ``ungdomar_stor`` and ``mork_plats`` have no Police event
  type; they come from municipal reports and walks (trygghetsvandringar).
* Summaries and notices (``Sammanfattning ...``, ``Uppdatering``, ``Övrigt`` ...) are
  ``ovrigt`` and are excluded from incident counts anyway (see ``polisen.is_incident_type``).

Unknown (future) types fall back to ``ovrigt``; :func:`is_mapped` tells whether a type is in
the table, so an importer can report new types.
"""

from __future__ import annotations

import re

CATEGORIES: tuple[str, ...] = (
    "klotter",
    "skadegorelse",
    "nedskrapning",
    "anlagd_brand",
    "ungdomar_stor",
    "narkotika",
    "hot_vald",
    "stold_inbrott",
    "otrygg_trafik",
    "mork_plats",
    "ordningsstorning",
    "ovrigt",
)

TYPE_TO_CATEGORY: dict[str, str] = {
    # skadegörelse / brand
    "Skadegörelse": "skadegorelse",
    "Mordbrand": "anlagd_brand",
    "Brand": "ovrigt",  # see category_for(): anlagd only if the summary says so
    "Brand automatlarm": "ovrigt",
    # narkotika
    "Narkotikabrott": "narkotika",
    # hot och våld
    "Misshandel": "hot_vald",
    "Misshandel, grov": "hot_vald",
    "Mord/dråp": "hot_vald",
    "Mord/dråp, försök": "hot_vald",
    "Olaga hot": "hot_vald",
    "Våld/hot mot tjänsteman": "hot_vald",
    "Skottlossning": "hot_vald",
    "Skottlossning, misstänkt": "hot_vald",
    "Explosion": "hot_vald",
    "Detonation": "hot_vald",
    "Våldtäkt": "hot_vald",
    "Våldtäkt, försök": "hot_vald",
    "Sexualbrott": "hot_vald",
    "Sedlighetsbrott": "hot_vald",
    "Ofredande/förargelse": "hot_vald",
    "Olaga frihetsberövande/människorov": "hot_vald",
    "Larm Överfall": "hot_vald",
    "Knivlagen": "hot_vald",
    "Vapenlagen": "hot_vald",
    # stöld och inbrott
    "Stöld": "stold_inbrott",
    "Stöld, försök": "stold_inbrott",
    "Stöld/inbrott": "stold_inbrott",
    "Inbrott": "stold_inbrott",
    "Inbrott, försök": "stold_inbrott",
    "Motorfordon, stöld": "stold_inbrott",
    "Motorfordon, anträffat stulet": "stold_inbrott",
    "Rån": "stold_inbrott",
    "Rån väpnat": "stold_inbrott",
    "Rån övrigt": "stold_inbrott",
    "Rån, försök": "stold_inbrott",
    "Häleri": "stold_inbrott",
    "Åldringsbrott": "stold_inbrott",
    "Hemfridsbrott": "stold_inbrott",
    "Olaga intrång": "stold_inbrott",
    # otrygg trafik (offences, not accidents)
    "Trafikbrott": "otrygg_trafik",
    "Rattfylleri": "otrygg_trafik",
    "Olovlig körning": "otrygg_trafik",
    "Trafikolycka, smitning från": "otrygg_trafik",
    # ordningsstörning
    "Ordningslagen": "ordningsstorning",
    "Fylleri/LOB": "ordningsstorning",
    "Bråk": "ordningsstorning",
    "Alkohollagen": "ordningsstorning",
    "Smällar": "ordningsstorning",
    # övrigt: accidents, rescue, notices, summaries, not place-bound crimes
    "Trafikolycka": "ovrigt",
    "Trafikolycka, personskada": "ovrigt",
    "Trafikolycka, singel": "ovrigt",
    "Trafikolycka, vilt": "ovrigt",
    "Trafikhinder": "ovrigt",
    "Trafikkontroll": "ovrigt",
    "Kontroll": "ovrigt",
    "Kontroll person/fordon": "ovrigt",
    "Polisinsats/kommendering": "ovrigt",
    "Bedrägeri": "ovrigt",
    "Hets mot folkgrupp": "ovrigt",
    "Miljöbrott": "ovrigt",
    "Skyddslagen": "ovrigt",
    "Anträffad död": "ovrigt",
    "Anträffat gods": "ovrigt",
    "Arbetsplatsolycka": "ovrigt",
    "Djur": "ovrigt",
    "Farligt föremål, misstänkt": "ovrigt",
    "Fjällräddning": "ovrigt",
    "Sjöräddning": "ovrigt",
    "Försvunnen person": "ovrigt",
    "Räddningsinsats": "ovrigt",
    "Sjukdom/olycksfall": "ovrigt",
    "Uppdatering": "ovrigt",
    "Övrigt": "ovrigt",
    "Sammanfattning natt": "ovrigt",
    "Sammanfattning kväll och natt": "ovrigt",
}

assert set(TYPE_TO_CATEGORY.values()) <= set(CATEGORIES)

DEFAULT_CATEGORY = "ovrigt"

#: Summary wording that makes a plain ``Brand`` an arson (``anlagd brand``).
ARSON_PATTERN = re.compile(r"\banlag(?:d|da|t)\b|mordbrand", re.IGNORECASE)


def is_mapped(event_type: str) -> bool:
    return event_type in TYPE_TO_CATEGORY


def category_for(event_type: str, summary: str | None = None) -> str:
    """EST category slug for a Police event type (``ovrigt`` for unknown types).

    ``summary`` is only used to recognise arson among plain ``Brand`` events.
    """
    category = TYPE_TO_CATEGORY.get(event_type, DEFAULT_CATEGORY)
    if event_type == "Brand" and summary and ARSON_PATTERN.search(summary):
        return "anlagd_brand"
    return category
