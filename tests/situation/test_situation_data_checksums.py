"""The copied public data files must stay byte-exact copies (see the SOURCES.md files).

Do not "fix" a file to make a test pass: the parsers are written for these exact bytes.
"""

import hashlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ORG_DATA = ROOT / "samverkan" / "organizations" / "data"
SIT_DATA = ROOT / "samverkan" / "situation" / "data"

# SHA-256 and sizes as published in the shared data README.
EXPECTED = {
    ORG_DATA / "scb_kommuner_lan.csv":
        ("67231be90bf963dfaae89f70157ec41a0f35ab86ee3265feda93438dc277497e", 10_005),
    ORG_DATA / "scb_kommuner_population_2024.csv":
        ("df002b4dff7b70ca33970b7d36ad7177df5a734ab00e0eca76e4c2f303e9f0c3", 5_772),
    ORG_DATA / "kommuner_simplified.geojson":
        ("a277c380740122201fefaa2bb6661bd38f326865c16bdea543b37fbed2cb08fe", 265_949),
    SIT_DATA / "polisen_utsatta_omraden_2025.geojson":
        ("e51452ee1e3b0fa59385f516fddb11ed63ffb53f094320be48731afe060d59ca", 146_897),
    SIT_DATA / "polisen_events_2023-03-25.json":
        ("b4a7aa8e4748185eb26d776974f631b24c47cef00d4640ee870b13163b69415a", 202_078),
    SIT_DATA / "polisen_events_sodermanland_2022-2026.json":
        ("65c32ec0c8d781afeb823e770aeafc30ecbe4e3f20b845e7c9e596ab53257d6e", 1_034_332),
    SIT_DATA / "bra_anmalda_brott_per_kommun.csv":
        ("9014d4d783ecff0f07563fb5ead6efcbed39d4903301ba000993af6bfaae0973", 7_709),
    SIT_DATA / "bra_sol_export_2021_brott_mot_person_cp1252.txt":
        ("ec080fbab38c7b3f335095180cb331d57e6b65e59b07ca12bb794c70db9f9c4a", 25_997),
}


@pytest.mark.parametrize("path", list(EXPECTED), ids=lambda p: p.name)
def test_copied_file_is_byte_exact(path):
    sha256, size = EXPECTED[path]
    data = path.read_bytes()
    assert len(data) == size
    assert hashlib.sha256(data).hexdigest() == sha256


@pytest.mark.parametrize("folder", [ORG_DATA, SIT_DATA], ids=["organizations", "situation"])
def test_sources_md_lists_every_copied_file_with_its_checksum(folder):
    text = (folder / "SOURCES.md").read_text(encoding="utf-8")
    for path, (sha256, _) in EXPECTED.items():
        if path.parent == folder:
            assert path.name in text
            assert sha256 in text


def test_encoding_quirks_are_preserved():
    assert (SIT_DATA / "bra_anmalda_brott_per_kommun.csv").read_bytes()[:3] == b"\xef\xbb\xbf"
    sol = (SIT_DATA / "bra_sol_export_2021_brott_mot_person_cp1252.txt").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        sol.decode("utf-8")
    assert sol.endswith(b"\n\n")
    assert not (SIT_DATA / "polisen_events_sodermanland_2022-2026.json").read_bytes().endswith(
        b"\n")
