"""How long a class's workspaces take: 300 trainee workspaces, next to copying the template database file.

    .venv/bin/python bench/workspaces.py [--count 300] [--scenario ID] [--profile tiny] [--json]

Creating a workspace stages the scenario's dossiers for one trainee (different applicants and
codes) and writes them in one transaction. The baseline is the cheapest way to give every
trainee a copy: copying the whole SQLite file once per trainee, measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


from bench._world import bench_engine, scratch_session  # noqa: E402
from sandbox.paths import SCENARIOS_DIR  # noqa: E402
from sandbox.training.scenarios import load_all  # noqa: E402
from sandbox.training.workspaces import WorldIndex, create_workspace  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--scenario", default="xaydung-quy-trinh-day-du")
    parser.add_argument("--profile", default="tiny")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    scenario = {s.id: s for s in load_all(SCENARIOS_DIR)}[args.scenario]
    engine, db_file = bench_engine(args.profile)

    with scratch_session(engine) as session:
        index = WorldIndex.load(session)
        times = []
        started = time.perf_counter()
        for n in range(args.count):
            t0 = time.perf_counter()
            create_workspace(session, scenario, workspace_id=f"bench-{n:04d}", name=f"Học viên {n}",
                             trainee_seed=n, index=index)  # fmt: skip
            times.append(time.perf_counter() - t0)
        total = time.perf_counter() - started

    copy_times: list[float] = []
    if db_file is not None:
        target = Path(tempfile.mkdtemp(prefix="sandbox-copy-"))
        for n in range(min(args.count, 30)):  # 30 copies are enough for a stable median
            t0 = time.perf_counter()
            shutil.copyfile(db_file, target / f"copy-{n}.db")
            copy_times.append(time.perf_counter() - t0)
        shutil.rmtree(target)
    median = statistics.median(times)
    result = {
        "scenario": scenario.id, "profile": args.profile, "workspaces": args.count,
        "total_seconds": round(total, 3), "median_ms": round(1000 * median, 2),
        "p95_ms": round(1000 * sorted(times)[int(0.95 * (len(times) - 1))], 2),
        "template_file_mb": round(db_file.stat().st_size / 1e6, 1) if db_file else None,
        "file_copy_median_ms": round(1000 * statistics.median(copy_times), 2) if copy_times else None,
    }  # fmt: skip
    if copy_times:
        result["ratio_workspace_to_file_copy"] = round(median / statistics.median(copy_times), 3)
    if args.json:
        print(json.dumps(result))
    else:
        print(f"{args.count} không gian làm việc «{scenario.id}»: {total:.2f} s, trung vị {result['median_ms']} ms, "
              f"p95 {result['p95_ms']} ms")  # fmt: skip
        if copy_times:
            print(f"Sao chép tệp CSDL mẫu ({result['template_file_mb']} MB): trung vị {result['file_copy_median_ms']} ms; "
                  f"tỉ lệ tạo không gian / sao chép tệp = {result['ratio_workspace_to_file_copy']}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
