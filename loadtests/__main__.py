"""``python -m loadtests run|report|plan``: a go-live readiness run, its report, or just its sizing."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from loadtests import report, sizing, target
from loadtests.thresholds import EXIT_FAILED, ThresholdError, Thresholds

HERE = Path(__file__).resolve().parent
SHAPES = ("smoke", "golive-morning", "peak-hour", "soak", "spike")
EXIT_ERROR = 2  # the run could not be made or judged


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m loadtests", description="Bộ kiểm thử tải sẵn sàng vận hành.")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="start the sandbox (or use --host), run a shape, judge, write the report")
    run.add_argument("--shape", choices=SHAPES, default="smoke")
    run.add_argument(
        "--profile", default="load", help="world profile when the sandbox is started here (tiny|demo|load)"
    )
    run.add_argument("--seed", type=int, default=2026)
    run.add_argument("--province", default=None, help="province whose officers and citizens take part (default: demo)")
    run.add_argument("--citizens", type=int, default=2000, help="citizen accounts to draw from")
    run.add_argument("--host", default=None, help="an already running server (then --accounts is required)")
    run.add_argument("--accounts", default=None, help="accounts JSON from `sandbox accounts --load` on the server")
    run.add_argument("--threads", type=int, default=None, help="threads per process of the started sandbox")
    run.add_argument("--workers", type=int, default=1,
                     help="app processes of the started sandbox (more than 1: gunicorn, as `sandbox run --workers`)")  # fmt: skip
    run.add_argument(
        "--processes", type=int, default=1, help="Locust worker processes on this machine (-1: one per core)"
    )
    run.add_argument("--thresholds", default=str(HERE / "thresholds.toml"))
    run.add_argument("--assumptions", default=str(HERE / "assumptions.toml"))
    run.add_argument("--hold-minutes", type=float, default=None, help="length of the steady part (default per shape)")
    run.add_argument("--baseline-seconds", type=float, default=5.0, help="bare-endpoint calibration before the run")
    run.add_argument("--out", default=None, help="report folder (default loadtests/reports/<time>-<shape>)")
    rep = sub.add_parser("report", help="write report.md and report.html again from a report folder")
    rep.add_argument("folder")
    pl = sub.add_parser("plan", help="print what a shape would do with the given number of accounts per role")
    pl.add_argument("--shape", choices=SHAPES, default="peak-hour")
    pl.add_argument("--accounts", required=True)
    pl.add_argument("--assumptions", default=str(HERE / "assumptions.toml"))
    args = parser.parse_args(argv)
    if args.command == "report":
        report.write(Path(args.folder))
        print(f"Báo cáo: {Path(args.folder) / 'report.html'}")
        return 0
    if args.command == "plan":
        a = sizing.Assumptions.load(Path(args.assumptions))
        data = json.loads(Path(args.accounts).read_text(encoding="utf-8"))
        p = sizing.plan(a, sizing.shapes(a)[args.shape], {r: len(v) for r, v in data["officers"].items()},
                        len(data["citizens"]), len(data["officers"].get("admin", [])))  # fmt: skip
        print(sizing.describe(a, p))
        return 0
    return run_shape(args)


def run_shape(args: argparse.Namespace) -> int:
    try:
        Thresholds.load(Path(args.thresholds))  # a wrong file stops here, before any server starts
    except ThresholdError as exc:
        print(exc, file=sys.stderr)
        return EXIT_ERROR
    out = Path(args.out) if args.out else HERE / "reports" / f"{time.strftime('%Y%m%d-%H%M%S')}-{args.shape}"
    out.mkdir(parents=True, exist_ok=True)
    a = sizing.Assumptions.load(Path(args.assumptions))
    shape = sizing.shapes(a, minutes=args.hold_minutes)[args.shape]
    if args.host:
        if not args.accounts:
            print("--host cần kèm --accounts (tệp JSON từ `sandbox accounts --load` trên máy chủ).", file=sys.stderr)
            return EXIT_ERROR
        accounts = Path(args.accounts)
        return _measure(args, out, shape, args.host, accounts, server="(máy chủ có sẵn)", database="(không rõ)")
    world = target.World(args.profile, args.seed)
    world.ensure()
    accounts = Path(args.accounts) if args.accounts else world.accounts(out / "accounts.json", province=args.province,
                                                                        citizens=args.citizens)  # fmt: skip
    with target.running_server(world, threads=args.threads, workers=args.workers, log=out / "server.log") as url:
        db = world.database_file()
        size = f", {db.stat().st_size / 1e6:,.0f} MB" if db.exists() else ""
        server = target.server_label(threads=args.threads, workers=args.workers)
        return _measure(args, out, shape, url, accounts, server=server, database=f"SQLite (WAL) {db}{size}")


def _measure(args: argparse.Namespace, out: Path, shape: sizing.ShapeSpec, url: str, accounts: Path, *,
             server: str, database: str) -> int:  # fmt: skip
    data = json.loads(accounts.read_text(encoding="utf-8"))
    target.save_json(out / "environment.json", target.environment(
        url=url, server=server, world=data.get("world"), database=database, processes=args.processes))  # fmt: skip
    if args.baseline_seconds > 0:
        print(f"Đo nền: điểm cuối trần {url}/healthz/live trong {args.baseline_seconds:g} giây …", flush=True)
        _locust(["-f", str(HERE / "baseline.py"), "-u", "10", "-r", "10", "-t", f"{args.baseline_seconds:g}s",
                 "--csv", str(out / "baseline"), "--only-summary"], url, timeout=args.baseline_seconds + 60)  # fmt: skip
    cmd = ["-f", str(HERE / "locustfile.py"), "--load-shape", args.shape, "--accounts", str(accounts),
           "--thresholds", args.thresholds, "--assumptions", args.assumptions, "--report-dir", str(out),
           "--csv", str(out / "locust"), "--csv-full-history", "--html", str(out / "locust.html"),
           "--json-file", str(out / "locust"), "--stop-timeout", "10", "--only-summary"]  # fmt: skip
    # --csv-full-history: without it the percentiles of locust_stats_history.csv are those of the whole run so far
    # (a sign-in burst at the start then looks like slowness that fades for many minutes); with it they are those
    # of the last 10 seconds, and each request has its own rows too
    if args.hold_minutes is not None:
        cmd += ["--hold-minutes", str(args.hold_minutes)]
    if args.processes != 1:
        cmd += ["--processes", str(args.processes)]
    code = _locust(cmd, url, timeout=shape.duration_s + 120)
    if not (out / "verdict.json").exists():
        print(f"Lượt chạy không tạo được verdict.json (mã thoát Locust {code}); xem {out}.", file=sys.stderr)
        return EXIT_ERROR
    report.write(out)
    verdict = json.loads((out / "verdict.json").read_text(encoding="utf-8"))
    print(f"Báo cáo: {out / 'report.html'} và {out / 'report.md'}")
    return 0 if verdict["passed"] else EXIT_FAILED


def _locust(args: list[str], url: str, *, timeout: float) -> int:
    """Locust headless against ``url``; it and its worker processes are killed if it outlives ``timeout``."""
    cmd = [sys.executable, "-m", "locust", "--headless", "--host", url, *args]
    proc = subprocess.Popen(cmd, start_new_session=True)
    try:
        return proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        print(f"Locust vượt quá {timeout:.0f} giây và đã bị dừng.", file=sys.stderr)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        return EXIT_ERROR
    except KeyboardInterrupt:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGINT)
        proc.wait(timeout=30)
        raise


if __name__ == "__main__":
    sys.exit(main())
