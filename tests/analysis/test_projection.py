from __future__ import annotations

import numpy as np
import pytest

from samverkan.analysis.projection import sweref99tm_to_wgs84, wgs84_to_sweref99tm


def test_eskilstuna_jarntorget():
    x, y = wgs84_to_sweref99tm(59.3706, 16.5077)
    # pyproj 3.7 / PROJ: E 585683.47, N 6582289.87
    assert float(x) == pytest.approx(585_683.5, abs=1.0)
    assert float(y) == pytest.approx(6_582_289.9, abs=1.0)
    # "about E 587,000 N 6,581,000"
    assert abs(float(x) - 587_000) < 2_000 and abs(float(y) - 6_581_000) < 2_000


def test_round_trip_arrays():
    lat = np.array([59.3706, 55.6050, 67.8558, 59.3293])
    lon = np.array([16.5077, 13.0038, 20.2253, 18.0686])
    x, y = wgs84_to_sweref99tm(lat, lon)
    assert x.shape == (4,) and y.shape == (4,)
    lat2, lon2 = sweref99tm_to_wgs84(x, y)
    np.testing.assert_allclose(lat2, lat, atol=1e-9)
    np.testing.assert_allclose(lon2, lon, atol=1e-9)
    # SWEREF 99 TM: false easting 500 km at 15 deg E
    assert np.all((x > 200_000) & (x < 1_000_000))
    assert np.all((y > 6_100_000) & (y < 7_700_000))
