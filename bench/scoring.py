"""How long scoring one attempt takes: gather the workspace's facts, run every check and rule.

.venv/bin/python bench/scoring.py [--runs 200] [--scenario ID] [--profile tiny] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


from bench._world import bench_engine, scratch_session  # noqa: E402
from sandbox.paths import SCENARIOS_DIR  # noqa: E402
from sandbox.training.runner import evaluate, gather_facts, play_steps  # noqa: E402
from sandbox.training.scenarios import load_all  # noqa: E402
from sandbox.training.workspaces import WorldIndex, create_workspace  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--scenario", default="xaydung-quy-trinh-day-du")
    parser.add_argument("--profile", default="tiny")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    scenario = {s.id: s for s in load_all(SCENARIOS_DIR)}[args.scenario]
    engine, _ = bench_engine(args.profile)
    with scratch_session(engine) as session:
        index = WorldIndex.load(session)
        ws = create_workspace(session, scenario, workspace_id="bench-scoring", name="Học viên", trainee_seed=1,
                              index=index)  # fmt: skip
        play_steps(session, ws, scenario, scenario.solution, index=index)
        facts_times, score_times = [], []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            facts = gather_facts(session, ws)
            t1 = time.perf_counter()
            score = evaluate(facts, scenario)
            t2 = time.perf_counter()
            session.rollback()  # end the read transaction: each run reads afresh, as a new request would
            facts_times.append(t1 - t0)
            score_times.append(t2 - t1)
    total = [a + b for a, b in zip(facts_times, score_times, strict=True)]
    result = {
        "scenario": scenario.id, "runs": args.runs, "percent": score.percent, "events": len(facts.events),
        "median_ms": round(1000 * statistics.median(total), 3),
        "gather_facts_median_ms": round(1000 * statistics.median(facts_times), 3),
        "evaluate_median_ms": round(1000 * statistics.median(score_times), 3),
    }  # fmt: skip
    if args.json:
        print(json.dumps(result))
    else:
        print(f"Chấm một lần nộp bài «{scenario.id}» ({score.percent:g} %): trung vị {result['median_ms']} ms "
              f"(đọc dữ kiện {result['gather_facts_median_ms']} ms, chấm {result['evaluate_median_ms']} ms)")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
