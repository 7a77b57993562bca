from __future__ import annotations

import math

import numpy as np
import pytest

from samverkan.analysis.change import compare_count_arrays, compare_counts


def test_z_formula_and_expected_is_mean():
    c = compare_counts(30, [10, 20, 30])
    assert c.expected == 20
    assert c.z == pytest.approx(2 * (math.sqrt(30) - math.sqrt(20)))
    assert c.earlier == (10.0, 20.0, 30.0)
    assert c.ratio == pytest.approx(1.5)


def test_small_numbers_not_flagged():
    c = compare_counts(3, [1, 1, 1])  # "+200 %" but only z = 1.46
    assert c.z == pytest.approx(2 * (math.sqrt(3) - 1))
    assert not c.significant and c.direction is None


def test_flagging_at_abs_z_2():
    up = compare_counts(40, [20, 20])
    assert up.z >= 2 and up.significant and up.direction == "increase"
    down = compare_counts(5, [20, 20])
    assert down.z <= -2 and down.significant and down.direction == "decrease"
    # exactly |z| = 2: sqrt(c) - sqrt(e) = 1 with c = 16, e = 9
    edge = compare_counts(16, [9])
    assert edge.z == pytest.approx(2.0) and edge.significant


def test_zero_expected():
    assert compare_counts(0, [0, 0]).z == 0 and not compare_counts(0, [0, 0]).significant
    one = compare_counts(1, [0, 0, 0])
    assert one.expected == 0 and one.ratio is None and not one.significant
    three = compare_counts(3, [0, 0])
    assert three.z == pytest.approx(2 * (math.sqrt(3) - math.sqrt(0.5)))
    assert three.significant and three.direction == "increase"


def test_errors():
    with pytest.raises(ValueError):
        compare_counts(1, [])
    with pytest.raises(ValueError):
        compare_counts(-1, [2])


def test_vectorised_matches_scalar():
    cur = np.array([3, 40, 5, 0, 1, 16])
    exp = np.array([1, 20, 20, 0, 0, 9])
    arr = compare_count_arrays(cur, exp)
    for i in range(cur.size):
        s = compare_counts(cur[i], [exp[i]])
        assert arr.z[i] == pytest.approx(s.z)
        assert bool(arr.significant[i]) == s.significant
        assert arr.direction[i] == {"increase": 1, "decrease": -1, None: 0}[s.direction]
    assert np.isnan(arr.ratio[3]) and np.isnan(arr.ratio[4]) and arr.ratio[0] == 3
