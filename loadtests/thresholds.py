"""Declarative pass/fail thresholds, judged on Locust's own figures (k6 thresholds, Gatling assertions).

A thresholds file (TOML) names groups of requests and the limits they must keep::

    [groups]
    tra-cuu = ["GET /api/v1/dossiers/{code}"]      # fnmatch patterns over "METHOD name"

    [[threshold]]
    scope = "group:tra-cuu"    # "all", "group:NAME", or one request "GET /api/v1/procedures"
    metric = "p95"             # p50 p66 p75 p80 p90 p95 p98 p99 avg max (ms), fail_ratio, rps, requests
    max = 300                  # or min = ... (rps, requests)
    abort = false              # true: judged every few seconds while the run goes, stops it on failure

A group's percentiles come from the merged response-time histograms of its requests (what Locust
keeps per request in ``--json-file``), computed the way Locust computes its own, so a group p95 is
the p95 of all its requests together, not an average of percentiles.
"""

from __future__ import annotations

import fnmatch
import tomllib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

EXIT_FAILED = 3  # a run whose verdict failed (Locust's exit code, and `python -m loadtests run`'s)
PERCENTILES = {"p50": 0.50, "p66": 0.66, "p75": 0.75, "p80": 0.80, "p90": 0.90, "p95": 0.95, "p98": 0.98,
               "p99": 0.99}  # fmt: skip
LATENCY = {*PERCENTILES, "avg", "max"}
METRICS = {*LATENCY, "fail_ratio", "rps", "requests"}
METRIC_VI = {**{k: f"phân vị {k[1:]} thời gian đáp ứng" for k in PERCENTILES}, "avg": "thời gian đáp ứng trung bình",
             "max": "thời gian đáp ứng lớn nhất", "fail_ratio": "tỷ lệ lỗi", "rps": "thông lượng (yêu cầu/giây)",
             "requests": "số yêu cầu"}  # fmt: skip


class ThresholdError(ValueError):
    """A thresholds file that cannot be judged (message in Vietnamese, for the person who wrote it)."""


@dataclass(frozen=True)
class Threshold:
    scope: str
    metric: str
    limit: float
    kind: str  # "max" | "min"
    abort: bool = False
    label: str = ""
    shapes: tuple[str, ...] = ()  # empty: every shape

    def describe(self) -> str:
        sign = "≤" if self.kind == "max" else "≥"
        unit = " ms" if self.metric in LATENCY else ""
        value = f"{self.limit:.2%}".replace(".", ",") if self.metric == "fail_ratio" else f"{self.limit:g}{unit}"
        return f"{METRIC_VI[self.metric]} {sign} {value}"


@dataclass
class Thresholds:
    groups: dict[str, list[str]] = field(default_factory=dict)
    items: list[Threshold] = field(default_factory=list)
    abort_after_s: float = 30.0  # no early abort before this much of the run (warm-up)

    @classmethod
    def load(cls, path: Path) -> Thresholds:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ThresholdError(f"Không đọc được tệp ngưỡng {path}: {exc}") from None
        return cls.parse(data)

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> Thresholds:
        groups = data.get("groups", {})
        if not isinstance(groups, dict) or not all(
            isinstance(v, list) and all(isinstance(p, str) for p in v) for v in groups.values()
        ):
            raise ThresholdError('[groups]: mỗi nhóm là một danh sách mẫu tên yêu cầu, ví dụ ["GET /api/v1/*"].')
        items = [_threshold(i, raw, groups) for i, raw in enumerate(data.get("threshold", []), start=1)]
        if not items:
            raise ThresholdError("Tệp ngưỡng không có mục [[threshold]] nào.")
        abort_after = data.get("abort_after_seconds", 30)
        if not isinstance(abort_after, int | float) or abort_after < 0:
            raise ThresholdError("abort_after_seconds phải là số giây ≥ 0.")
        return cls(groups=dict(groups), items=items, abort_after_s=float(abort_after))

    def for_shape(self, shape: str) -> Thresholds:
        """The thresholds that apply to a run of ``shape``."""
        return Thresholds(self.groups, [t for t in self.items if not t.shapes or shape in t.shapes], self.abort_after_s)


def _threshold(i: int, raw: Any, groups: Mapping[str, list[str]]) -> Threshold:
    where = f"[[threshold]] thứ {i}"
    if not isinstance(raw, dict):
        raise ThresholdError(f"{where}: phải là một bảng TOML.")
    scope, metric = raw.get("scope", "all"), raw.get("metric")
    if metric not in METRICS:
        raise ThresholdError(f"{where}: metric «{metric}» không hợp lệ; chọn một trong {', '.join(sorted(METRICS))}.")
    if not isinstance(scope, str) or not scope:
        raise ThresholdError(f"{where}: scope phải là «all», «group:TÊN» hoặc tên một yêu cầu.")
    if scope.startswith("group:") and scope[6:] not in groups:
        raise ThresholdError(f"{where}: nhóm «{scope[6:]}» chưa khai báo trong [groups].")
    kinds = [k for k in ("max", "min") if k in raw]
    if len(kinds) != 1 or isinstance(raw[kinds[0]], bool) or not isinstance(raw[kinds[0]], int | float):
        raise ThresholdError(f"{where}: cần đúng một giới hạn số, max = … hoặc min = ….")
    abort = raw.get("abort", False)
    if not isinstance(abort, bool):
        raise ThresholdError(f"{where}: abort phải là true hoặc false.")
    shapes = raw.get("shapes", [])
    if not isinstance(shapes, list) or not all(isinstance(x, str) for x in shapes):
        raise ThresholdError(f'{where}: shapes là danh sách tên kịch bản, ví dụ ["peak-hour"].')
    return Threshold(scope, metric, float(raw[kinds[0]]), kinds[0], abort, str(raw.get("label", "")), tuple(shapes))


# --- measuring ----------------------------------------------------------------------------------------


@dataclass
class Figures:
    """Merged figures of a set of Locust stats entries (dicts as in ``--json-file``)."""

    requests: int = 0
    failures: int = 0
    total_ms: float = 0.0
    max_ms: float = 0.0
    histogram: Counter[int] = field(default_factory=Counter)
    first: float | None = None
    last: float | None = None

    def add(self, entry: Mapping[str, Any]) -> None:
        self.requests += int(entry["num_requests"])
        self.failures += int(entry["num_failures"])
        self.total_ms += float(entry["total_response_time"])
        self.max_ms = max(self.max_ms, float(entry["max_response_time"] or 0))
        self.histogram.update({int(k): int(v) for k, v in entry["response_times"].items()})
        start, end = entry.get("start_time"), entry.get("last_request_timestamp")
        if start is not None:
            self.first = start if self.first is None else min(self.first, start)
        if end is not None:
            self.last = end if self.last is None else max(self.last, end)

    def percentile(self, q: float) -> float:
        """Locust's own rule (``calculate_response_time_percentile``): the bucket where the rank is reached."""
        if not self.requests:
            return 0.0
        processed, threshold = 0, int(self.requests * q)
        for bucket in sorted(self.histogram, reverse=True):
            processed += self.histogram[bucket]
            if self.requests - processed <= threshold:
                return float(bucket)
        return 0.0

    def value(self, metric: str, duration_s: float) -> float:
        if metric in PERCENTILES:
            return self.percentile(PERCENTILES[metric])
        if metric == "avg":
            return self.total_ms / self.requests if self.requests else 0.0
        if metric == "max":
            return self.max_ms
        if metric == "fail_ratio":
            return self.failures / self.requests if self.requests else 0.0
        if metric == "rps":
            return self.requests / duration_s if duration_s > 0 else 0.0
        return float(self.requests)


def request_key(entry: Mapping[str, Any]) -> str:
    return f"{entry['method']} {entry['name']}"


def select(entries: Iterable[Mapping[str, Any]], scope: str, groups: Mapping[str, list[str]],
           exclude: Iterable[str] = ()) -> Figures:  # fmt: skip
    """The merged figures of the requests a scope names (``exclude``: request names never counted, e.g. probes)."""
    skip = set(exclude)
    figures = Figures()
    for e in entries:
        if e["name"] in skip:
            continue
        key = request_key(e)
        if scope == "all":
            hit = True
        elif scope.startswith("group:"):
            hit = any(fnmatch.fnmatchcase(key, pattern) for pattern in groups[scope[6:]])
        else:
            hit = key == scope
        if hit:
            figures.add(e)
    return figures


@dataclass
class Judgement:
    scope: str
    metric: str
    kind: str
    limit: float
    measured: float | None
    passed: bool | None  # None: not measured (no request in scope)
    requests: int
    abort: bool
    description: str
    label: str = ""
    note: str = ""


def judge(thresholds: Thresholds, entries: list[Mapping[str, Any]], duration_s: float,
          exclude: Iterable[str] = ()) -> list[Judgement]:  # fmt: skip
    """Each threshold against the run's entries.

    A scope that saw no request is not judged (``passed`` None, «chưa đo được»): a latency of nothing
    neither passes nor fails; a ``requests`` minimum is how a file demands that a scope be exercised.
    """
    out = []
    for t in thresholds.items:
        figures = select(entries, t.scope, thresholds.groups, exclude)
        if not figures.requests and t.metric not in ("requests", "rps"):
            out.append(Judgement(t.scope, t.metric, t.kind, t.limit, None, None, 0, t.abort, t.describe(), t.label,
                                 "chưa đo được: không có yêu cầu nào thuộc phạm vi này"))  # fmt: skip
            continue
        measured = figures.value(t.metric, duration_s)
        passed = measured <= t.limit if t.kind == "max" else measured >= t.limit
        out.append(Judgement(t.scope, t.metric, t.kind, t.limit, round(measured, 6), passed, figures.requests, t.abort,
                             t.describe(), t.label))  # fmt: skip
    return out


def verdict(judgements: list[Judgement], **extra: Any) -> dict[str, Any]:
    judged = [j for j in judgements if j.passed is not None]
    return {"passed": bool(judged) and all(j.passed for j in judged), "thresholds": [asdict(j) for j in judgements],
            **extra}  # fmt: skip
