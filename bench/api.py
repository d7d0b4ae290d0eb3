"""The JSON API's main officer and citizen endpoints against a bare endpoint of the same server, in one run.

    .venv/bin/python bench/api.py [--profile demo] [--seconds 6] [--rounds 2] [--users 10]
                                  [--workers 0] [--threads 8] [--json]

A real server on 127.0.0.1 (``sandbox run``: waitress, as ``make run``; or gunicorn with ``--workers N``)
serves a throwaway copy of a seeded world (the template is seeded once under ``instance/``). Locust's
FastHttpUser drives one endpoint at a time at full speed (``--users`` users, no think time) for
``--seconds`` after a one-second warm-up; the endpoints take turns for ``--rounds`` rounds, so a slow
moment of the machine hits all of them, and each figure is read next to the bare endpoint
``/healthz/live`` (no database, no session) measured the same way in the same run. The «floor» row
(``/healthz``: one ``SELECT 1`` in a database session) is the ceiling of any endpoint that reads the
database at all; each figure is also given as a share of it («× floor»), which moves less with the
hour than the share of the bare endpoint (docs/PERFORMANCE.md).

The writes are real: online filings (citizens) create dossiers, the one-stop desk accepts exactly
those (each once, with its version), and receives walk-ins at the counter.
"""

# ruff: noqa: I001 - bench._server is imported first (Locust's gevent patches the standard library)
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._server import CpuMeter, Figures, served_copy, server_arguments  # first: Locust's gevent patches the library

import argparse
import json
import random
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import gevent
from locust import FastHttpUser, constant, task
from locust.env import Environment

BARE = "bare /healthz/live"
FLOOR = "floor: SELECT 1 in a session"
TARGETS = {  # the floors on a 2-core machine with SQLite (WAL): RPS as a share of the bare endpoint's
    "officer: dossier look-up": 0.5,
    "officer: accept (write)": 0.3,
    "officer: queue": 0.3,
}
RNG = random.Random(2026)


@dataclass
class Fixture:
    """What the users share: tokens by role, dossiers to look up, filings, and the freshly filed dossiers."""

    url: str
    desk: list[str]
    citizens: list[tuple[str, list[str]]]  # token, codes of that citizen's dossiers
    desk_codes: list[str]
    filings: list[dict[str, Any]]
    cccds: list[str]
    officer_password: str
    officer_login: str
    to_accept: list[tuple[str, int]] = field(default_factory=list)


def api(url: str, method: str, path: str, body: Any = None, token: str | None = None) -> Any:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url + path, data=data, method=method)  # noqa: S310 - our own loopback server
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(req, timeout=30) as resp:  # noqa: S310
        return json.loads(resp.read() or b"null")


def prepare(url: str, accounts: dict[str, Any]) -> Fixture:
    """Sign in (outside the timing), and find dossiers each actor may open."""
    pw, cpw = accounts["officer_password"], accounts["citizen_password"]

    def token(user: str, password: str) -> str:
        return api(url, "POST", "/api/v1/session", {"username": user, "password": password})["token"]

    citizen = token(accounts["citizens"][0], cpw)
    f = accounts["filings"][0]
    probe = api(url, "POST", "/api/v1/dossiers", {"procedure_code": f["procedure_code"], "form_data": f["form_data"],
                                                  "documents": f["documents"]}, token=citizen)["code"]  # fmt: skip
    desks, desk = [], []  # the desk officers of the centre where online filings land (not the communes')
    for user in accounts["officers"]["desk"]:
        t = token(user, pw)
        try:
            api(url, "GET", f"/api/v1/dossiers/{probe}", token=t)
        except urllib.error.HTTPError:
            continue
        desks.append(user)
        desk.append(t)
        if len(desk) >= 4:
            break
    if not desk:
        raise SystemExit("No desk officer of this province receives its online filings.")
    codes: list[str] = []
    for page in (1, 2, 3):
        codes += [
            d["code"] for d in api(url, "GET", f"/api/v1/dossiers?per_page=200&page={page}", token=desk[0])["items"]
        ]
    citizens = []  # ten citizens who have dossiers already (most people have none)
    for cccd in accounts["citizens"][:60]:
        t = token(cccd, cpw)
        if mine := [d["code"] for d in api(url, "GET", "/api/v1/dossiers?per_page=50", token=t)["items"]]:
            citizens.append((t, mine))
        if len(citizens) >= 10:
            break
    if not citizens:
        raise SystemExit("No citizen of this province has a dossier: seed a bigger profile.")
    if not codes:
        raise SystemExit("The desk sees no dossiers in this world: seed a bigger profile.")
    filings = [f for f in accounts["filings"] if f["documents"] is not None]
    return Fixture(url, desk, citizens, codes, filings, accounts["citizens"], pw, desks[0])


def phases(fx: Fixture) -> dict[str, Callable[[Any], None]]:
    """Each endpoint as one request made by a user (``u``); the name is the figure's label."""

    def look_up(u: Any) -> None:
        u.client.get(f"/api/v1/dossiers/{RNG.choice(fx.desk_codes)}", name="lookup", headers=u.auth("desk"))

    def queue(u: Any) -> None:
        u.client.get("/api/v1/dossiers?queue=true&per_page=20", name="queue", headers=u.auth("desk"))

    def search(u: Any) -> None:
        u.client.get(f"/api/v1/dossiers?q={RNG.choice(fx.cccds)}", name="search", headers=u.auth("desk"))

    def counter(u: Any) -> None:
        f = RNG.choice(fx.filings)
        body = {"procedure_code": f["procedure_code"], "applicant_cccd": RNG.choice(fx.cccds),
                "form_data": f["form_data"], "documents": [{"code": c, "digitized": True} for c in f["documents"]]}  # fmt: skip
        u.client.post("/api/v1/dossiers", json=body, name="counter", headers=u.auth("desk"))

    def file_online(u: Any) -> None:
        f = RNG.choice(fx.filings)
        body = {"procedure_code": f["procedure_code"], "form_data": f["form_data"], "documents": f["documents"]}
        with u.client.post("/api/v1/dossiers", json=body, name="file", headers=u.auth("citizen"),
                           catch_response=True) as resp:  # fmt: skip
            if resp.status_code == 201:
                d = resp.json()
                fx.to_accept.append((d["code"], d["version"]))

    def accept(u: Any) -> None:
        if not fx.to_accept:
            gevent.sleep(0.01)  # the filed dossiers are used up: the phase ends (see run_phase)
            return
        code, version = fx.to_accept.pop()
        u.client.post(f"/api/v1/dossiers/{code}/actions/accept", json={"version": version}, name="accept",
                      headers=u.auth("desk"))  # fmt: skip

    def my_dossiers(u: Any) -> None:
        u.client.get("/api/v1/dossiers?per_page=10", name="mine", headers=u.auth("citizen"))

    def my_dossier(u: Any) -> None:
        codes = u.citizen[1]
        if codes:
            u.client.get(f"/api/v1/dossiers/{RNG.choice(codes)}", name="theirs", headers=u.auth("citizen"))

    def statistics(u: Any) -> None:
        u.client.get("/api/v1/statistics", name="statistics", headers=u.auth("desk"))

    def sign_in(u: Any) -> None:
        u.client.post("/api/v1/session", json={"username": fx.officer_login, "password": fx.officer_password},
                      name="session")  # fmt: skip

    return {
        BARE: lambda u: u.client.get("/healthz/live", name="hello"),
        FLOOR: lambda u: u.client.get("/healthz", name="healthz"),
        "officer: dossier look-up": look_up,
        "officer: queue": queue,
        "officer: search by CCCD": search,
        "citizen: file online (write)": file_online,
        "officer: accept (write)": accept,
        "officer: counter receipt (write)": counter,
        "citizen: my dossiers": my_dossiers,
        "citizen: one of mine": my_dossier,
        "officer: statistics": statistics,
        "sign-in (scrypt)": sign_in,
    }


def run_phase(
    url: str, fx: Fixture, step: Callable[[Any], None], *, users: int, seconds: float
) -> tuple[Any, float, list[str], tuple[float, float]]:
    """``users`` users repeat ``step`` with no pause; the stats after a one-second warm-up, and their seconds."""

    class Driver(FastHttpUser):
        host = url
        wait_time = constant(0)
        network_timeout = 30.0

        def on_start(self) -> None:
            self.n = RNG.randrange(1000)
            self.citizen = fx.citizens[self.n % len(fx.citizens)]

        def auth(self, role: str) -> dict[str, str]:
            token = self.citizen[0] if role == "citizen" else fx.desk[self.n % len(fx.desk)]
            return {"Authorization": f"Bearer {token}"}

        @task
        def one(self) -> None:
            step(self)

    env = Environment(user_classes=[Driver])
    runner = env.create_local_runner()
    runner.start(users, spawn_rate=users * 10)
    gevent.sleep(0.2 if step.__name__ == "accept" else 1.0)  # a short warm-up where it uses up the filings
    env.stats.reset_all()
    meter = CpuMeter(url)
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        gevent.sleep(0.1)
        if step.__name__ == "accept" and not fx.to_accept:
            break
    measured = time.monotonic() - started
    cpu = meter.seconds()
    entry = env.stats.total
    errors = [f"{e.error}" for e in env.stats.errors.values()]
    runner.quit()
    return entry, measured, errors, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    server_arguments(parser)
    parser.add_argument("--seconds", type=float, default=6.0)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--only", default="", help="comma-separated parts of labels to measure, e.g. look-up,queue")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    with served_copy(args, "api") as served:
        url, server = served.url, served.server
        exported = served.world.accounts(served.folder / "accounts.json", province=None, citizens=200)
        accounts = json.loads(exported.read_text(encoding="utf-8"))
        fx = prepare(url, accounts)
        steps = phases(fx)
        if args.only:
            wanted = {w.strip() for w in args.only.split(",")}
            chosen = {k for k in steps if k in (BARE, FLOOR) or any(w in k for w in wanted)}
            if "officer: accept (write)" in chosen:  # it accepts what the online filings created
                chosen.add("citizen: file online (write)")
            steps = {k: v for k, v in steps.items() if k in chosen}
        figures = {label: Figures() for label in steps}
        for _ in range(args.rounds):
            for label, step in steps.items():
                entry, seconds, errors, cpu = run_phase(url, fx, step, users=args.users, seconds=args.seconds)
                figures[label].add(entry, seconds, errors, cpu)
    bare = figures[BARE]
    floor = figures.get(FLOOR)
    result: dict[str, Any] = {
        "server": server, "profile": args.profile, "users": args.users, "seconds": args.seconds, "rounds": args.rounds,
        "world": accounts["world"], "endpoints": {},
    }  # fmt: skip
    for label, f in figures.items():
        row = {**f.row(), "ratio_to_bare": round(f.rps / bare.rps, 3) if bare.rps else None}
        if floor is not None and floor.rps:  # the share of what any endpoint that reads the database can reach
            row["ratio_to_floor"] = round(f.rps / floor.rps, 3)
        if label in TARGETS:
            row["target_ratio"] = TARGETS[label]
            row["meets_target"] = row["ratio_to_bare"] is not None and row["ratio_to_bare"] >= TARGETS[label]
        if f.errors:
            row["errors"] = f.errors[:3]
        result["endpoints"][label] = row
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
        return 0
    w = accounts["world"]
    print(f"API on {server}; world «{args.profile}» ({w['dossiers']:,} dossiers, {w['citizens']:,} citizens); "
          f"{args.users} users, {args.rounds} × {args.seconds:g} s per endpoint, interleaved")  # fmt: skip
    print(f"  {'endpoint':<34} {'RPS':>8} {'p50':>6} {'p95':>6} {'× bare':>7} {'× floor':>8} {'srv ms':>7} {'gen ms':>7}"
          "  fails  target")
    for label, row in result["endpoints"].items():
        goal = ""
        if "target_ratio" in row:
            goal = f"≥ {row['target_ratio']} {'ok' if row['meets_target'] else 'MISSED'}"
        print(f"  {label:<34} {row['rps']:>8.1f} {row['p50_ms']:>6.0f} {row['p95_ms']:>6.0f} "
              f"{row['ratio_to_bare']:>7.3f} {row.get('ratio_to_floor', 0):>8.3f} {row.get('server_cpu_ms', 0):>7.3f} "
              f"{row.get('generator_cpu_ms', 0):>7.3f}  {row['failures']:>5}  {goal}")  # fmt: skip
        for e in row.get("errors", []):
            print(f"      ! {e[:160]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
