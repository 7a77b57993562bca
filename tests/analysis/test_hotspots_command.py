"""The ``hotspots`` management command (needs Django settings, not the database)."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest

django = pytest.importorskip("django")
from django.conf import settings  # noqa: E402

if not settings.configured:  # e.g. run with -p no:django
    pytest.skip("Django settings are not configured", allow_module_level=True)

from django.core.management import call_command  # noqa: E402
from django.core.management.base import CommandError  # noqa: E402

from samverkan.analysis.projection import sweref99tm_to_wgs84  # noqa: E402


def _points(n_hot: int = 60, n_bg: int = 60, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = np.concatenate([rng.normal(587_150, 60, n_hot), rng.uniform(585_000, 589_000, n_bg)])
    y = np.concatenate([rng.normal(6_581_150, 60, n_hot), rng.uniform(6_579_000, 6_583_000, n_bg)])
    return sweref99tm_to_wgs84(x, y)


def _write(path, header, rows, sep=",", bom=False, decimal=".") -> None:
    lines = [sep.join(header)]
    for row in rows:
        lines.append(sep.join(str(v).replace(".", decimal) for v in row))
    path.write_text(("\ufeff" if bom else "") + "\n".join(lines) + "\n", encoding="utf-8")


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("hotspots", *args, stdout=out)
    return out.getvalue()


def test_json_output(tmp_path):
    lat, lon = _points()
    csv_path = tmp_path / "incidents.csv"
    _write(csv_path, ["lat", "lon"], zip(lat.round(7), lon.round(7), strict=True))
    data = json.loads(_run("--input", str(csv_path), "--cell-size", "250", "--json"))
    assert list(data) == ["cell_size", "crs", "n_incidents", "cells"]
    assert data["cell_size"] == 250 and data["crs"] == "EPSG:3006"
    assert data["n_incidents"] == 120
    assert sum(c["count"] for c in data["cells"]) == 120
    assert all(c["x"] % 250 == 0 and c["y"] % 250 == 0 for c in data["cells"])
    hot = [c for c in data["cells"] if c["bin"] == 3]
    assert hot and all(586_500 <= c["x"] <= 587_750 for c in hot)


def test_semicolon_bom_decimal_comma_and_weight(tmp_path):
    lat, lon = _points(seed=2)
    w = np.ones(lat.size) * 2
    csv_path = tmp_path / "incidents.csv"
    _write(
        csv_path,
        ["LAT", "Lon", "weight"],
        zip(lat.round(7), lon.round(7), w, strict=True),
        sep=";",
        bom=True,
        decimal=",",
    )
    data = json.loads(_run("--input", str(csv_path), "--cell-size", "250", "--json"))
    assert data["n_incidents"] == 120
    assert sum(c["count"] for c in data["cells"]) == pytest.approx(240.0)


def test_human_table(tmp_path):
    lat, lon = _points()
    csv_path = tmp_path / "incidents.csv"
    _write(csv_path, ["lat", "lon"], zip(lat, lon, strict=True))
    text = _run("--input", str(csv_path), "--cell-size", "250")
    assert "120 incidents" in text
    assert "meaningful: yes" in text
    assert "hot" in text and "99 %" in text


def test_too_few_incidents_message(tmp_path):
    lat, lon = _points(n_hot=10, n_bg=5)
    csv_path = tmp_path / "few.csv"
    _write(csv_path, ["lat", "lon"], zip(lat, lon, strict=True))
    text = _run("--input", str(csv_path), "--cell-size", "250")
    assert "meaningful: no" in text and "not meaningful" in text
    data = json.loads(_run("--input", str(csv_path), "--cell-size", "250", "--json"))
    assert all(c["z"] is None and c["bin"] == 0 for c in data["cells"])


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ("lat,lon\n59.37,16.50\n59.37,abc\n", "line 3, column 'lon'"),
        ("lat,lon\n59.37,16.50\n,16.5\n", "line 3, column 'lat'"),
        ("lat,lon\n95.0,16.50\n", "line 2, column 'lat'"),
        ("lat,lon,weight\n59.37,16.50,-1\n", "line 2, column 'weight'"),
        ("latitude,lon\n59.37,16.50\n", "missing column"),
        ("", "empty file"),
    ],
)
def test_bad_rows_raise_command_error(tmp_path, content, needle):
    csv_path = tmp_path / "bad.csv"
    csv_path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        _run("--input", str(csv_path), "--cell-size", "250")
    assert needle in str(exc.value)


def test_missing_file(tmp_path):
    with pytest.raises(CommandError, match="not found"):
        _run("--input", str(tmp_path / "nope.csv"), "--cell-size", "250")
