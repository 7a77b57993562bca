"""Responsible organisations in the free text of the seed agreements' plans."""

from samverkan.plans.responsible import (
    OrgCandidate,
    committee_abbreviations,
    match_organizations,
)

CANDIDATES = [
    OrgCandidate(1, "Eskilstuna kommun", "", ("kommunen", "kommun")),
    OrgCandidate(2, "Polismyndigheten", "", ("polis", "polisen", "lokalpolisområde Eskilstuna")),
    OrgCandidate(3, "Räddningstjänsten", "", ("räddningstjänst",)),
    OrgCandidate(4, "Socialnämnden", "SN", ("socialtjänst", "socialtjänsten")),
    OrgCandidate(5, "Kommunstyrelsen", "KS", ()),
    OrgCandidate(6, "Barn- och utbildningsnämnden", "BUN", ()),
    OrgCandidate(7, "Kultur- och fritidsnämnden", "KFN", ("Ung Fritid",)),
    OrgCandidate(8, "Eskilstuna Kommunfastigheter AB", "Kfast",
                 ("kommunens fastighetsbolag",)),
    OrgCandidate(9, "Miljö- och räddningstjänstnämnden", "MRN", ()),
]


def test_committee_abbreviations():
    text = (
        "Att tillsammans med polisen kartlägga så kallade hot spots beträffande våldsbrott "
        "som begås av unga. Fokus bör ligga i och i anslutning till skolmiljö (KS, BUN, SN, "
        "KFN, TSN, SBN)"
    )
    assert committee_abbreviations(text) == ["KS", "BUN", "SN", "KFN", "TSN", "SBN"]
    assert committee_abbreviations(
        "Utse koordinatorfunktion i de prioriterade områdena, Lagersberg och Fröslunda ... "
        "(KS; KFN)"
    ) == ["KS", "KFN"]
    # Not abbreviations: a function name, a footnote text.
    text = "Utbilda, Samordna, initiera trygghetsforum. (Kommunpolis)"
    assert committee_abbreviations(text) == []
    assert committee_abbreviations("(SN) ... (SN, KFN, BUN, TSN)") == ["SN", "KFN", "BUN", "TSN"]
    assert committee_abbreviations("") == []


def test_match_prose_with_aliases():
    text = "Kommunen i samverkan med polis, räddningstjänst, socialtjänst och handels"
    assert match_organizations(text, CANDIDATES) == [1, 2, 3, 4]


def test_match_abbreviations_in_parentheses_in_order():
    text = "Samverka med polis vid samtal med ungdom/familj. (SN, KFN, BUN, TSN)"
    assert match_organizations(text, CANDIDATES) == [2, 4, 7, 6]
    assert match_organizations("Nätverka med Hotel- och restaurangnäringen (KS, MRN)",
                               CANDIDATES) == [5, 9]


def test_no_duplicates_whole_words_and_longest_match():
    text = (
        "Att kommunen (och kommunens fastighetsbolag) anmäler klotter och skadegörelse. (KS)"
    )
    assert match_organizations(text, CANDIDATES) == [1, 8, 5]
    # "polisiär" is not "polis"; lower-case "ks" is not the abbreviation KS.
    assert match_organizations("en ökad polisiär närvaro, ks", CANDIDATES) == []
    assert match_organizations("Polisen och polisen och POLIS", CANDIDATES) == [2]
    assert match_organizations("", CANDIDATES) == []
    assert match_organizations("Ung Fritid genomför verksamhet", CANDIDATES) == [7]
