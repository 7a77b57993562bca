from __future__ import annotations

import numpy as np
import pytest

from samverkan.analysis.timeofweek import standout_hours, time_of_week_matrix


def test_matrix_shape_monday_first_and_weights():
    m = time_of_week_matrix([0, 0, 6, 4], [0, 0, 23, 22])
    assert m.shape == (7, 24)
    assert m[0, 0] == 2 and m[6, 23] == 1 and m[4, 22] == 1 and m.sum() == 4
    mw = time_of_week_matrix([0, 1], [5, 5], weights=[2.5, 1.0])
    assert mw[0, 5] == 2.5 and mw[1, 5] == 1.0


def test_matrix_rejects_bad_values():
    with pytest.raises(ValueError):
        time_of_week_matrix([7], [0])
    with pytest.raises(ValueError):
        time_of_week_matrix([0], [24])
    with pytest.raises(ValueError):
        time_of_week_matrix([0, 1], [0])


def test_friday_saturday_nights_stand_out():
    rng = np.random.default_rng(42)
    n_bg = 5000
    wd = rng.integers(0, 7, n_bg)
    hr = rng.integers(0, 24, n_bg)
    # Weekend nights: Friday 23 - Saturday 04 and Saturday 23 - Sunday 04.
    night = [(4, 23), (5, 0), (5, 1), (5, 2), (5, 3), (5, 4)]
    night += [(5, 23), (6, 0), (6, 1), (6, 2), (6, 3), (6, 4)]
    extra = np.repeat(np.array(night), 40, axis=0)
    wd = np.concatenate([wd, extra[:, 0]])
    hr = np.concatenate([hr, extra[:, 1]])
    m = time_of_week_matrix(wd, hr)
    out = standout_hours(m)
    found = {(s.weekday, s.hour) for s in out}
    assert set(night) <= found
    assert len(found - set(night)) <= 2  # background noise rarely reaches z >= 2
    zs = [s.z for s in out]
    assert zs == sorted(zs, reverse=True)
    s0 = out[0]
    total = m.sum()
    exp = m[s0.weekday].sum() * m[:, s0.hour].sum() / total
    assert s0.expected == pytest.approx(exp)
    assert s0.z == pytest.approx(2 * (np.sqrt(s0.count) - np.sqrt(exp)))
    assert s0.z >= 2


def test_uniform_matrix_has_no_standouts_and_empty_is_empty():
    assert standout_hours(np.full((7, 24), 10.0)) == []
    assert standout_hours(np.zeros((7, 24))) == []
    with pytest.raises(ValueError):
        standout_hours(np.zeros((24, 7)))
