"""Go-live traffic over the JSON API: citizens, one-stop officers, specialists, leaders, clerks, managers.

Run it through ``python -m loadtests run`` (starts the sandbox, writes the report), or by hand::

    locust -f loadtests/locustfile.py --headless --host http://127.0.0.1:5000 \\
        --load-shape peak-hour --accounts accounts.json --report-dir loadtests/reports/manual

Every user signs in with its own seeded account, leased from the master (one pool for all worker
processes and machines) and given back when the user stops. The shape, the users per class and their
pacing come from ``assumptions.toml`` (see ``sizing.py``); the thresholds file is judged when the run
ends, and the ones marked ``abort`` also while it runs. The exit code says pass (0) or fail (3).
"""

from __future__ import annotations

import json
import logging
import random
import time
import uuid
from pathlib import Path
from typing import Any

from locust import FastHttpUser, events, task
from locust.exception import StopUser
from locust.runners import MasterRunner, WorkerRunner

from loadtests import sizing, thresholds
from loadtests.control import PROBE, GoLiveShape  # noqa: F401 - the shape Locust runs; importing registers the verdict
from loadtests.leases import STATE, give_back, lease, on_grant, on_release, on_request

HERE = Path(__file__).resolve().parent
log = logging.getLogger("loadtests")


@events.init_command_line_parser.add_listener
def _arguments(parser: Any) -> None:
    parser.add_argument("--load-shape", default="smoke", choices=list(sizing.shapes(_assumptions_default()).keys()),
                        help="smoke | golive-morning | peak-hour | soak | spike")  # fmt: skip
    parser.add_argument("--accounts", default="", help="JSON from `sandbox accounts --load` (master only)")
    parser.add_argument("--thresholds", default=str(HERE / "thresholds.toml"), help="TOML thresholds file")
    parser.add_argument("--assumptions", default=str(HERE / "assumptions.toml"), help="TOML sizing assumptions")
    parser.add_argument("--hold-minutes", type=float, default=None, help="length of the steady part of the shape")
    parser.add_argument("--report-dir", default="", help="where verdict.json is written (master only)")


def _assumptions_default() -> sizing.Assumptions:
    return sizing.Assumptions.load(HERE / "assumptions.toml")


# --- accounts: one pool on the master (or the local runner), leased per user ------------------------


@events.init.add_listener
def _init(environment: Any, **_: Any) -> None:
    opts = environment.parsed_options
    runner = environment.runner
    if opts is None or isinstance(runner, WorkerRunner):
        if isinstance(runner, WorkerRunner):
            runner.register_message("account_grant", on_grant)
        return
    if not opts.accounts:
        raise SystemExit("--accounts is required: the JSON of `sandbox accounts --load --json` for the target world")
    data = json.loads(Path(opts.accounts).read_text(encoding="utf-8"))
    a = sizing.Assumptions.load(Path(opts.assumptions))
    shape = sizing.shapes(a, minutes=opts.hold_minutes)[opts.load_shape]
    accounts = {role: len(v) for role, v in data["officers"].items()}
    plan = sizing.plan(
        a, shape, accounts, citizens=len(data["citizens"]), managers=len(data["officers"].get("admin", []))
    )
    rules = thresholds.Thresholds.load(Path(opts.thresholds)).for_shape(opts.load_shape)
    STATE.update(plan=plan, thresholds=rules, data=data)
    pools = {role: list(v) for role, v in data["officers"].items()}
    pools["citizen"] = list(data["citizens"])
    STATE["pools"] = pools
    for cls in USER_CLASSES:
        cls.weight = max(plan.users_at_top.get(cls.role, 0), 0)
    print(sizing.describe(a, plan), flush=True)
    if isinstance(runner, MasterRunner):
        runner.register_message("account_request", on_request)
        runner.register_message("account_release", on_release)
    STATE["grant_extra"] = {"pace": plan.pace_s, "filings": data["filings"], "citizens": data["citizens"][:500],
                            "password": data["officer_password"], "citizen_password": data["citizen_password"]}  # fmt: skip


# --- users -------------------------------------------------------------------------------------------

SAMPLE_PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n" + b"0" * (120 * 1024) + b"\ntrailer <<>>\n%%EOF\n"
TEXT = "Hồ sơ đầy đủ, hợp lệ (kiểm thử tải)."
PREFERRED = {
    "desk": ("accept", "forward", "complete_supplement", "return_result"),
    "specialist": ("request_fee", "appraise"),
    "dept_leader": ("assign", "approve"),
    "unit_leader": ("sign",),
    "clerk": ("issue",),
}


class SandboxUser(FastHttpUser):
    """One person with one account: signs in at start, acts at a pace drawn around the plan's pacing."""

    abstract = True
    role = ""
    connection_timeout = 10.0
    network_timeout = 30.0

    def wait_time(self) -> float:
        pace = float(self.grant.get("pace", {}).get(self.role) or 5.0)
        elapsed = time.monotonic() - getattr(self, "_task_started", time.monotonic())
        return max(0.0, random.expovariate(1.0 / pace) - elapsed)

    def on_start(self) -> None:
        self.grant = lease(self.environment, self.role)
        self.account = self.grant.get("account")
        if not self.account:
            log.error("no free %s account left: lower the load or use a bigger world", self.role)
            raise StopUser()
        self.sign_in()

    def on_stop(self) -> None:
        if getattr(self, "account", None):
            give_back(self.environment, self.role, self.account)
            self.account = None

    def sign_in(self) -> None:
        password = self.grant["citizen_password"] if self.role == "citizen" else self.grant["password"]
        with self.client.post("/api/v1/session", json={"username": self.account, "password": password},
                              name="/api/v1/session", catch_response=True) as resp:  # fmt: skip
            if resp.status_code != 201:
                resp.failure(f"đăng nhập thất bại ({resp.status_code})")
                raise StopUser()
            self.headers = {"Authorization": f"Bearer {resp.json()['token']}"}

    def call(self, method: str, path: str, name: str, *, refused: tuple[int, ...] = (), **kw: Any) -> Any:
        """One request; 409 (someone acted first: optimistic locking) is the system working, not a failure,
        and so are the statuses in ``refused`` (the rules said no to what this user tried: ``self.refused``),
        counted under their own name."""
        self._task_started = getattr(self, "_task_started", time.monotonic())
        self.refused = None
        with self.client.request(method, path, name=name, headers={**self.headers, **kw.pop("headers", {})},
                                 catch_response=True, **kw) as resp:  # fmt: skip
            if resp.status_code == 409:
                resp.success()
                return None
            if resp.status_code in refused:  # reported apart, so the endpoint's own figures stay its own
                resp.request_meta["name"] = f"{name} (bị từ chối đúng quy định)"
                resp.success()
                self.refused = resp.status_code
                return None
            if resp.status_code == 401:  # the token expired on a long run: sign in again
                resp.success()
                self.sign_in()
                return None
            if resp.status_code >= 400:
                resp.failure(f"{resp.status_code}: {(resp.text or '')[:200]}")
                return None
            return resp.json() if resp.text else None

    def queue_item(self, **params: Any) -> dict[str, Any] | None:
        query = "&".join(f"{k}={v}" for k, v in {"queue": "true", "per_page": 20, **params}.items())
        page = self.call("GET", f"/api/v1/dossiers?{query}", "/api/v1/dossiers?queue (hàng đợi)")
        items = (page or {}).get("items") or []
        return random.choice(items) if items else None

    def open(self, code: str) -> dict[str, Any] | None:
        return self.call("GET", f"/api/v1/dossiers/{code}", "/api/v1/dossiers/{code}")

    def act(self, dossier: dict[str, Any], preferred: tuple[str, ...]) -> bool:
        allowed = {a["action"]: a for a in dossier.get("allowed_actions", [])}
        for name in preferred:
            if name in allowed and (params := _fill(allowed[name]["inputs"])) is not None:
                self.call("POST", f"/api/v1/dossiers/{dossier['code']}/actions/{name}",
                          f"/api/v1/dossiers/{{code}}/actions/{name}", json={**params, "version": dossier["version"]})  # fmt: skip
                return True
        return False


def _fill(inputs: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Values for an action's inputs, or None when one cannot be chosen by a load test (dates, documents)."""
    out: dict[str, Any] = {}
    for i in inputs:
        if i.get("choices"):
            choices = [c["value"] for c in i["choices"]]
            out[i["name"]] = "online" if "online" in choices else random.choice(choices)
        elif i["kind"] == "text":
            if i["required"]:
                out[i["name"]] = TEXT
        elif i["required"]:
            return None
    return out


class Officer(SandboxUser):
    abstract = True

    @task(1)
    def work_on_next(self) -> None:
        """Take a dossier from the queue, open it, move it on."""
        self._task_started = time.monotonic()
        item = self.queue_item()
        if item and (dossier := self.open(item["code"])):
            self.act(dossier, PREFERRED[self.role])

    @task(4)
    def browse(self) -> None:
        """Look around: a filtered list or a search, then one dossier."""
        self._task_started = time.monotonic()
        choice = random.random()
        if choice < 0.4:
            page = self.call("GET", f"/api/v1/dossiers?status={random.randint(1, 10)}&per_page=20",
                             "/api/v1/dossiers?status (lọc)")  # fmt: skip
        elif choice < 0.7:
            page = self.call("GET", "/api/v1/dossiers?overdue=true&per_page=20", "/api/v1/dossiers?overdue (quá hạn)")
        else:
            needle = random.choice(self.grant.get("citizens") or ["0"])
            page = self.call("GET", f"/api/v1/dossiers?q={needle}", "/api/v1/dossiers?q (tìm kiếm)")
        items = (page or {}).get("items") or []
        if items:
            self.open(random.choice(items)["code"])


class Desk(Officer):
    role = "desk"

    @task(1)
    def work_on_next(self) -> None:
        """Most steps come from the queue; some citizens walk in to the counter instead (offline share)."""
        self._task_started = time.monotonic()
        filings, citizens = self.grant.get("filings") or [], self.grant.get("citizens") or []
        not_here = getattr(self, "not_here", set())  # procedures this desk was told it does not receive
        filings = [f for f in filings if f["procedure_code"] not in not_here]
        if filings and citizens and random.random() < 0.13:
            f = random.choice(filings)
            body = {"procedure_code": f["procedure_code"], "applicant_cccd": random.choice(citizens),
                    "form_data": f["form_data"], "documents": [{"code": c, "digitized": True} for c in f["documents"]]}  # fmt: skip
            self.call("POST", "/api/v1/dossiers", "/api/v1/dossiers (tiếp nhận trực tiếp)", json=body, refused=(403,))
            if self.refused == 403:  # e.g. not a boundary-free procedure at this desk: the rules are right to
                self.not_here = {*not_here, f["procedure_code"]}  # refuse; that walk-in goes elsewhere
            return
        super().work_on_next()


class Specialist(Officer):
    role = "specialist"


class DeptLeader(Officer):
    role = "dept_leader"


class UnitLeader(Officer):
    role = "unit_leader"

    def on_start(self) -> None:
        super().on_start()
        self.statistics()  # a leader opens the unit's figures first

    @task(1)
    def statistics(self) -> None:
        self._task_started = time.monotonic()
        self.call("GET", "/api/v1/statistics", "/api/v1/statistics")


class Clerk(Officer):
    role = "clerk"


class Manager(SandboxUser):
    """A unit administrator watching the figures of the centre."""

    role = "admin"

    def on_start(self) -> None:
        super().on_start()
        self.statistics()

    @task(3)
    def statistics(self) -> None:
        self._task_started = time.monotonic()
        self.call("GET", "/api/v1/statistics", "/api/v1/statistics")

    @task(1)
    def overdue(self) -> None:
        self._task_started = time.monotonic()
        self.call("GET", "/api/v1/dossiers?overdue=true&per_page=50", "/api/v1/dossiers?overdue (quá hạn)")


class Citizen(SandboxUser):
    """A person on the portal: files online with the scans attached, checks, pays when a fee is asked."""

    role = "citizen"

    def on_start(self) -> None:
        super().on_start()
        self.mine: list[str] = []

    @task(2)
    def file_online(self) -> None:
        self._task_started = time.monotonic()
        filings = self.grant.get("filings") or []
        if not filings:
            return
        f = random.choice(filings)
        body, content_type = _multipart(
            {"procedure_code": f["procedure_code"], "form_data": f["form_data"], "documents": f["documents"]},
            {code: (f"{code}.pdf", SAMPLE_PDF) for code in f["documents"]},
        )
        created = self.call("POST", "/api/v1/dossiers", "/api/v1/dossiers (nộp trực tuyến, kèm tệp)", data=body,
                            headers={"Content-Type": content_type})  # fmt: skip
        if created:
            self.mine = [created["code"], *self.mine][:20]

    @task(6)
    def check_status(self) -> None:
        self._task_started = time.monotonic()
        page = self.call("GET", "/api/v1/dossiers?per_page=10", "/api/v1/dossiers (của tôi)")
        codes = self.mine or [i["code"] for i in (page or {}).get("items", [])]
        if codes:
            self.open(random.choice(codes))

    @task(1)
    def pay(self) -> None:
        self._task_started = time.monotonic()
        page = self.call("GET", "/api/v1/dossiers?status=6&per_page=5", "/api/v1/dossiers?status=6 (chờ nộp phí)")
        for item in (page or {}).get("items", [])[:1]:
            dossier = self.open(item["code"])
            if dossier:
                self.act(dossier, ("confirm_payment",))


class Probe(FastHttpUser):
    """One request a second to the bare endpoint, through the whole run: the baseline next to every figure."""

    fixed_count = 1
    role = "probe"

    def wait_time(self) -> float:
        return 1.0

    @task
    def live(self) -> None:
        self.client.get(PROBE, name=PROBE)


USER_CLASSES = (Desk, Specialist, DeptLeader, UnitLeader, Clerk, Manager, Citizen)


def _multipart(dossier: dict[str, Any], files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = f"----sandbox{uuid.uuid4().hex}"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="dossier"\r\n\r\n'.encode()
             + json.dumps(dossier, ensure_ascii=False).encode() + b"\r\n"]  # fmt: skip
    for code, (filename, content) in files.items():
        head = (f'--{boundary}\r\nContent-Disposition: form-data; name="file_{code}"; filename="{filename}"\r\n'
                "Content-Type: application/pdf\r\n\r\n")  # fmt: skip
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"
