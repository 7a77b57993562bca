"""Recognise the responsible organisations in the free text of an action plan.

Source tables write responsibility as free text: committees by abbreviation in
parentheses, "(KS, BUN, SN)" or "(KS; KFN)", or prose, "Kommunen i samverkan med polis,
räddningstjänst, socialtjänst och handeln".

* ``committee_abbreviations(text)`` lists the abbreviations written in parentheses.
* ``match_organizations(text, candidates)`` returns the ids of the candidates named in
  the text, in order of first appearance and without duplicates:
  - an abbreviation (e.g. "KS") matches as a whole word, case-SENSITIVELY (so the word
    "sn" or "ks" in running text does not match), inside or outside parentheses;
  - a name or alias matches as a whole word (or phrase), case-insensitively;
  - when two matches overlap, the longer one wins ("Eskilstuna kommuns fastighetsbolag"
    is Kfast, not the municipality).
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class OrgCandidate:
    id: Hashable
    name: str
    abbreviation: str = ""
    aliases: tuple[str, ...] = ()


_PAREN_RE = re.compile(r"\(([^()]*)\)")
_ABBREVIATION_RE = re.compile(r"^[A-ZÅÄÖ][A-ZÅÄÖ0-9]{1,7}$")
_SPLIT_RE = re.compile(r"\s*(?:[,;/&+]|\boch\b|\band\b)\s*")


def committee_abbreviations(text: str | None) -> list[str]:
    """Abbreviations in parentheses, in order, without duplicates: "(KS, BUN, SN)"."""
    found: list[str] = []
    for group in _PAREN_RE.findall(text or ""):
        for token in _SPLIT_RE.split(group):
            token = token.strip().rstrip(".")
            if _ABBREVIATION_RE.match(token) and token not in found:
                found.append(token)
    return found


def _term_regex(term: str, *, ignore_case: bool) -> re.Pattern[str]:
    words = [re.escape(part) for part in term.split()]
    body = r"\s+".join(words)
    return re.compile(rf"(?<!\w){body}(?!\w)", re.I if ignore_case else 0)


def match_organizations(text: str | None, candidates: Iterable[OrgCandidate]) -> list:
    """Ids of the candidates named in ``text``, in order of appearance, no duplicates."""
    if not text:
        return []
    matches: list[tuple[int, int, Hashable]] = []
    for candidate in candidates:
        terms: list[tuple[str, bool]] = []
        if candidate.abbreviation.strip():
            terms.append((candidate.abbreviation.strip(), False))
        for term in (candidate.name, *candidate.aliases):
            if term and term.strip():
                terms.append((term.strip(), True))
        for term, ignore_case in terms:
            for match in _term_regex(term, ignore_case=ignore_case).finditer(text):
                matches.append((match.start(), match.end(), candidate.id))
    # Longest first; drop matches overlapping an accepted one.
    accepted: list[tuple[int, int, Hashable]] = []
    for start, end, ident in sorted(matches, key=lambda m: (-(m[1] - m[0]), m[0])):
        if any(start < a_end and a_start < end for a_start, a_end, _ in accepted):
            continue
        accepted.append((start, end, ident))
    result: list = []
    for _start, _end, ident in sorted(accepted, key=lambda m: m[0]):
        if ident not in result:
            result.append(ident)
    return result
