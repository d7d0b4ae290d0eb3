"""Thresholds and sizing, without a server: parsing, group percentiles as Locust computes them, pacing."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from locust.stats import calculate_response_time_percentile

from loadtests import sizing
from loadtests.thresholds import Figures, ThresholdError, Thresholds, judge, verdict


def entry(name: str, times: dict[int, int], failures: int = 0, method: str = "GET") -> dict:
    n = sum(times.values())
    return {"name": name, "method": method, "num_requests": n, "num_failures": failures,
            "total_response_time": sum(k * v for k, v in times.items()), "max_response_time": max(times, default=0),
            "response_times": {str(k): v for k, v in times.items()}, "start_time": 100.0,
            "last_request_timestamp": 110.0}  # fmt: skip


RULES = Thresholds.parse({
    "groups": {"doc": ["GET /d/*"]},
    "threshold": [
        {"scope": "group:doc", "metric": "p95", "max": 100, "label": "tra cứu"},
        {"scope": "all", "metric": "fail_ratio", "max": 0.01},
        {"scope": "all", "metric": "rps", "min": 2, "shapes": ["peak-hour"]},
        {"scope": "GET /none", "metric": "p50", "max": 1},
    ],
})  # fmt: skip


def test_a_group_percentile_is_taken_over_its_merged_requests() -> None:
    entries = [entry("/d/{a}", {10: 91, 500: 9}), entry("/d/{b}", {20: 100}), entry("/other", {5: 1}, failures=1)]
    judged = judge(RULES, entries, duration_s=10)
    doc = judged[0]
    assert doc.requests == 200 and doc.measured == 20 and doc.passed  # 9 slow of 200 stay under the 5 % tail
    assert judged[1].measured == pytest.approx(1 / 201, abs=1e-6) and judged[1].passed
    assert judged[2].measured == pytest.approx(20.1) and judged[2].passed
    assert judged[3].passed is None and judged[3].measured is None  # nothing measured is neither pass nor fail
    assert verdict(judged)["passed"] is True
    slow = judge(RULES, [entry("/d/{a}", {10: 90, 500: 10})], duration_s=10)
    assert slow[0].measured == 500 and slow[0].passed is False and verdict(slow)["passed"] is False


@given(st.dictionaries(st.integers(0, 5000), st.integers(1, 50), min_size=1), st.sampled_from([0.5, 0.9, 0.95, 0.99]))
def test_percentiles_match_locust(times: dict[int, int], q: float) -> None:
    f = Figures()
    f.add(entry("/x", times))
    assert f.percentile(q) == calculate_response_time_percentile(times, sum(times.values()), q)


def test_thresholds_for_a_shape_and_bad_files_in_vietnamese() -> None:
    assert len(RULES.for_shape("smoke").items) == 3 and len(RULES.for_shape("peak-hour").items) == 4
    bad = [
        ({"threshold": [{"metric": "p42", "max": 1}]}, "metric"),
        ({"threshold": [{"metric": "p95"}]}, "giới hạn"),
        ({"threshold": [{"metric": "p95", "max": 1, "min": 0}]}, "giới hạn"),
        ({"threshold": [{"scope": "group:x", "metric": "p95", "max": 1}]}, "chưa khai báo"),
        ({"threshold": []}, "không có"),
        ({"groups": {"x": "GET"}, "threshold": [{"metric": "p95", "max": 1}]}, "danh sách"),
        ({"threshold": [{"metric": "p95", "max": True}]}, "giới hạn"),
    ]
    for data, words in bad:
        with pytest.raises(ThresholdError, match=words):
            Thresholds.parse(data)


def test_sizing_keeps_every_officer_on_at_the_top_and_scales_down() -> None:
    a = sizing.Assumptions.load()
    shapes = sizing.shapes(a)
    accounts = {"desk": 9, "specialist": 18, "dept_leader": 7, "unit_leader": 7, "clerk": 7, "admin": 1}
    plan = sizing.plan(a, shapes["peak-hour"], accounts, citizens=5000, managers=1)
    assert {r: plan.users_at_top[r] for r in accounts} == accounts
    for role in sizing.ROLES:  # n users each acting every pace seconds make the planned rate
        assert plan.users_at_top[role] / plan.pace_s[role] == pytest.approx(
            a.officer_tasks_per_s(role, a.factors["peak"])
        )
    spike = sizing.plan(a, shapes["spike"], accounts, citizens=5000, managers=1)
    calm, burst = spike.users_at(a.factors["average"]), spike.users_at(a.factors["spike"])
    assert sum(burst.values()) > 4 * sum(calm.values()) / 1.5 and burst["desk"] == 9
    text = sizing.describe(a, plan)
    assert "750 hồ sơ/giờ" in text and "mỗi người một tài khoản riêng" in text
