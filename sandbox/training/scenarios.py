"""Scenario files (``scenarios/<sector>/<id>.yaml``): load, validate, and describe them as dataclasses.

Validation is strict and speaks to the author: every problem names the file, the line and the
field (``khcn/x.yaml:14: checks[2].params.state: trạng thái không tồn tại``). See
``scenarios/README.md`` for the schema.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sandbox.domain.compliance import RULES
from sandbox.domain.vocabulary import Action, Channel, Role, Sector, State
from sandbox.integrations.faults import FaultPlan
from sandbox.services.staging import walk
from sandbox.training.checks import REGISTRY, validate_value
from sandbox.training.yamlsource import Located, YamlSyntaxError, load_located

LEVELS = {1: "Cơ bản", 2: "Trung cấp", 3: "Nâng cao"}
FAULT_SYSTEMS = {"signing", "payment", "messaging", "population", "business_registry"}
CHANNELS = {"online": Channel.ONLINE, "counter": Channel.COUNTER, "postal": Channel.POSTAL}
TRAINEE_ROLES = {Role.DESK, Role.SPECIALIST, Role.DEPT_LEADER, Role.UNIT_LEADER, Role.CLERK}


class ScenarioError(ValueError):
    """One or more problems in a scenario file; ``problems`` lists them, each with its line."""

    def __init__(self, path: Path, problems: list[tuple[int, str]]) -> None:
        self.path, self.problems = path, problems
        super().__init__("\n".join(f"{path.name}:{line}: {text}" for line, text in problems))


@dataclass(frozen=True)
class DossierSetup:
    key: str
    procedure: str
    channel: Channel
    path: tuple[Action, ...]  # the actions already taken by colleagues before the trainee starts
    age_days: float  # working days between submission and the scenario's start
    applicant: str  # citizen | business
    documents: tuple[str, ...] | None  # input documents attached (None: every required one)
    undigitized: tuple[str, ...]  # attached paper documents not yet digitised
    venue: str  # where the dossier is received: province | commune centre ("" = where the procedure belongs)

    @property
    def state(self) -> State | None:
        return walk(self.path)[-1] if self.path else None


@dataclass(frozen=True)
class Setup:
    clock: datetime
    dossiers: tuple[DossierSetup, ...]
    faults: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Check:
    id: str
    predicate: str
    params: Mapping[str, Any]
    points: int
    feedback: str  # Vietnamese: what the trainee should have done


@dataclass(frozen=True)
class Hint:
    text: str
    cost: int


@dataclass(frozen=True)
class Step:
    """One step of a solution or a mistake: an action on a dossier (or ``advance`` of the clock)."""

    action: Action | None  # None means: advance the clock by ``days`` working days
    dossier: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)
    role: Role | None = None
    days: int = 0


@dataclass(frozen=True)
class Mistake:
    name: str
    description: str
    steps: tuple[Step, ...]
    expect: frozenset[str]  # check ids and rule names that must lose points, and only those


@dataclass(frozen=True)
class Scenario:
    id: str
    title: str
    sector: Sector
    roles: tuple[Role, ...]
    level: int
    minutes: int
    task: str
    setup: Setup
    checks: tuple[Check, ...]
    hints: tuple[Hint, ...]
    pass_mark: int
    solution: tuple[Step, ...]
    mistakes: tuple[Mistake, ...]
    rules: Mapping[str, int]  # penalty per compliance rule (0 switches one off)
    source: Path

    @property
    def level_name(self) -> str:
        return LEVELS[self.level]

    @property
    def possible(self) -> int:
        return sum(c.points for c in self.checks)


# --------------------------------------------------------------------------- validation


class _Reader:
    """Walks the located YAML, collecting problems instead of stopping at the first one."""

    def __init__(self, doc: Located) -> None:
        self.doc = doc
        self.problems: list[tuple[int, str]] = []

    def fail(self, path: tuple[str | int, ...], text: str) -> None:
        where = ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in path).replace(".[", "[")
        self.problems.append((self.doc.line(path), f"{where}: {text}" if where else text))

    def get(self, data: Any, path: tuple[str | int, ...], key: str, kind: type | tuple[type, ...], *,
            required: bool = True, default: Any = None) -> Any:  # fmt: skip
        if not isinstance(data, dict) or key not in data:
            if required:
                self.fail(path, f"thiếu trường bắt buộc «{key}»")
            return default
        value = data[key]
        if isinstance(value, bool) and kind is not bool and (kind is int or (isinstance(kind, tuple) and int in kind)):
            self.fail((*path, key), "phải là số, không phải true/false")
            return default
        if not isinstance(value, kind):
            names = kind.__name__ if isinstance(kind, type) else "/".join(k.__name__ for k in kind)
            self.fail((*path, key), f"sai kiểu dữ liệu (cần {_VI_TYPES.get(names, names)})")
            return default
        return value

    def only(self, data: Any, path: tuple[str | int, ...], allowed: set[str]) -> None:
        if isinstance(data, dict):
            for key in data:
                if key not in allowed:
                    self.fail((*path, key), f"trường không hợp lệ «{key}» (cho phép: {', '.join(sorted(allowed))})")


_VI_TYPES = {"str": "văn bản", "int": "số nguyên", "list": "danh sách", "dict": "đối tượng", "bool": "true/false",
             "int/float": "số", "str/int": "văn bản hoặc số"}  # fmt: skip
_TOP = {"id", "title", "sector", "roles", "level", "minutes", "task", "setup", "checks", "hints", "pass_mark",
        "solution", "mistakes", "rules"}  # fmt: skip


def _enum(r: _Reader, path: tuple[str | int, ...], value: Any, enum_cls: Any, what: str) -> Any:
    member = enum_cls.parse(value) if value is not None else None
    if member is None:
        r.fail(path, f"{what} «{value}» không tồn tại (cho phép: {', '.join(str(m.value) for m in enum_cls)})")
    return member


def _setup(r: _Reader, data: Any) -> Setup:
    path = ("setup",)
    r.only(data, path, {"clock", "dossiers", "faults"})
    clock = r.get(data, path, "clock", (datetime, str))
    if isinstance(clock, str):
        try:
            clock = datetime.fromisoformat(clock)
        except ValueError:
            r.fail((*path, "clock"), "phải là thời điểm dạng 2026-11-23T08:30:00")
            clock = None
    dossiers = []
    keys: set[str] = set()
    for i, item in enumerate(r.get(data, path, "dossiers", list, default=[])):
        p = (*path, "dossiers", i)
        r.only(item, p, {"key", "procedure", "channel", "path", "age_days", "applicant", "documents",
                         "undigitized", "venue"})  # fmt: skip
        key = r.get(item, p, "key", str, default=f"#{i}")
        if key in keys:
            r.fail((*p, "key"), f"trùng khóa hồ sơ «{key}»")
        keys.add(key)
        channel_name = r.get(item, p, "channel", str, required=False, default="online")
        channel = CHANNELS.get(channel_name)
        if channel is None:
            r.fail((*p, "channel"), f"kênh «{channel_name}» không tồn tại (cho phép: {', '.join(CHANNELS)})")
        steps = []
        for j, name in enumerate(r.get(item, p, "path", list, required=False, default=[])):
            action = Action.parse(name)
            if not isinstance(action, Action):
                r.fail((*p, "path", j), f"thao tác «{name}» không tồn tại")
            else:
                steps.append(action)
        try:
            walk(steps)
        except ValueError:
            r.fail((*p, "path"), "chuỗi thao tác không đi được theo bảng chuyển trạng thái")
        applicant = r.get(item, p, "applicant", str, required=False, default="citizen")
        if applicant not in ("citizen", "business"):
            r.fail((*p, "applicant"), "chỉ nhận citizen hoặc business")
        venue = r.get(item, p, "venue", str, required=False, default="")
        if venue not in ("", "province", "commune"):
            r.fail((*p, "venue"), "chỉ nhận province hoặc commune")
        docs = r.get(item, p, "documents", list, required=False)
        dossiers.append(
            DossierSetup(
                key=key, procedure=str(r.get(item, p, "procedure", str, default="")),
                channel=channel or Channel.ONLINE, path=tuple(steps),
                age_days=float(r.get(item, p, "age_days", (int, float), required=False, default=0)),
                applicant=applicant, documents=tuple(docs) if docs is not None else None,
                undigitized=tuple(r.get(item, p, "undigitized", list, required=False, default=[])), venue=venue,
            )
        )  # fmt: skip
    faults = r.get(data, path, "faults", dict, required=False, default={})
    for system, spec in faults.items():
        if system not in FAULT_SYSTEMS:
            r.fail((*path, "faults", system), f"không có hệ thống «{system}» (có: {', '.join(sorted(FAULT_SYSTEMS))})")
            continue
        try:
            FaultPlan.parse(str(spec))
        except ValueError as exc:
            r.fail((*path, "faults", system), f"cấu hình lỗi không hợp lệ: {exc}")
    return Setup(clock=clock or datetime(2026, 11, 23, 8, 30), dossiers=tuple(dossiers), faults=faults)


def _steps(r: _Reader, items: Any, path: tuple[str | int, ...], keys: set[str]) -> tuple[Step, ...]:
    out = []
    for i, item in enumerate(items if isinstance(items, list) else []):
        p = (*path, i)
        r.only(item, p, {"action", "dossier", "params", "as", "days"})
        name = r.get(item, p, "action", str, default="")
        if name == "advance":
            out.append(Step(None, days=int(r.get(item, p, "days", int, default=1))))
            continue
        action = Action.parse(name)
        if not isinstance(action, Action):
            r.fail((*p, "action"), f"thao tác «{name}» không tồn tại")
            continue
        dossier = r.get(item, p, "dossier", str, required=action not in (Action.RECEIVE_AT_COUNTER,))
        if dossier is not None and dossier not in keys and action is not Action.RECEIVE_AT_COUNTER:
            r.fail((*p, "dossier"), f"hồ sơ «{dossier}» không có trong setup.dossiers")
        role = r.get(item, p, "as", str, required=False)
        parsed_role = _enum(r, (*p, "as"), role, Role, "vai trò") if role is not None else None
        out.append(Step(action, dossier, r.get(item, p, "params", dict, required=False, default={}), parsed_role))
    return tuple(out)


def parse_scenario(doc: Located, source: Path) -> Scenario:
    r = _Reader(doc)
    data = doc.data
    if not isinstance(data, dict):
        raise ScenarioError(source, [(1, "tệp kịch bản phải là một đối tượng YAML")])
    r.only(data, (), _TOP)
    sid = r.get(data, (), "id", str, default="")
    if sid and sid != source.stem:
        r.fail(("id",), f"id «{sid}» phải trùng tên tệp «{source.stem}»")
    sector = _enum(r, ("sector",), r.get(data, (), "sector", str), Sector, "ngành")
    roles = []
    for i, name in enumerate(r.get(data, (), "roles", list, default=[])):
        role = _enum(r, ("roles", i), name, Role, "vai trò")
        if role is not None and role not in TRAINEE_ROLES:
            r.fail(("roles", i), f"học viên không đóng vai «{role.label}»")
        elif role is not None:
            roles.append(role)
    if not roles:
        r.fail(("roles",), "cần ít nhất một vai trò của học viên")
    level = r.get(data, (), "level", int, default=1)
    if level not in LEVELS:
        r.fail(("level",), "chỉ nhận 1 (cơ bản), 2 (trung cấp) hoặc 3 (nâng cao)")
    setup = _setup(r, r.get(data, (), "setup", dict, default={}))
    keys = {d.key for d in setup.dossiers}
    checks, ids = [], set()
    for i, item in enumerate(r.get(data, (), "checks", list, default=[])):
        p = ("checks", i)
        r.only(item, p, {"id", "predicate", "params", "points", "feedback"})
        cid = r.get(item, p, "id", str, default=f"#{i}")
        if cid in ids:
            r.fail((*p, "id"), f"trùng id kiểm tra «{cid}»")
        ids.add(cid)
        name = r.get(item, p, "predicate", str, default="")
        params = r.get(item, p, "params", dict, required=False, default={})
        pred = REGISTRY.get(name)
        if pred is None:
            r.fail((*p, "predicate"), f"không có điều kiện tên «{name}» (có: {', '.join(sorted(REGISTRY))})")
        else:
            for key in pred.required:
                if key not in params:
                    r.fail((*p, "params"), f"điều kiện {name} cần tham số «{key}»")
            for key, value in params.items():
                kind = pred.required.get(key) or pred.optional.get(key)
                if kind is None:
                    r.fail((*p, "params", key), f"điều kiện {name} không có tham số «{key}»")
                elif problem := validate_value(kind, value, keys):
                    r.fail((*p, "params", key), problem)
        points = r.get(item, p, "points", int, default=0)
        if points is not None and points <= 0:
            r.fail((*p, "points"), "điểm phải là số nguyên dương")
        feedback = r.get(item, p, "feedback", str, default="")
        checks.append(Check(cid, name, params, points or 0, feedback))
    if not checks:
        r.fail(("checks",), "cần ít nhất một điều kiện chấm điểm")
    hints = []
    for i, item in enumerate(r.get(data, (), "hints", list, required=False, default=[])):
        p = ("hints", i)
        r.only(item, p, {"text", "cost"})
        cost = r.get(item, p, "cost", int, default=0)
        if cost is not None and cost < 0:
            r.fail((*p, "cost"), "số điểm trừ của gợi ý phải ≥ 0")
        hints.append(Hint(r.get(item, p, "text", str, default=""), cost or 0))
    rules = r.get(data, (), "rules", dict, required=False, default={})
    for name, penalty in rules.items():
        if name not in RULES:
            r.fail(("rules", name), f"không có quy tắc «{name}» (có: {', '.join(sorted(RULES))})")
        elif not isinstance(penalty, int) or isinstance(penalty, bool) or penalty < 0:
            r.fail(("rules", name), "mức trừ điểm phải là số nguyên ≥ 0")
    solution = _steps(r, r.get(data, (), "solution", list, default=[]), ("solution",), keys)
    mistakes = []
    for i, item in enumerate(r.get(data, (), "mistakes", list, required=False, default=[])):
        p = ("mistakes", i)
        r.only(item, p, {"name", "description", "steps", "expect"})
        expect = r.get(item, p, "expect", list, default=[])
        for j, name in enumerate(expect):
            if name not in ids and name not in RULES:
                r.fail((*p, "expect", j), f"«{name}» không phải id kiểm tra hay tên quy tắc")
        mistakes.append(
            Mistake(
                r.get(item, p, "name", str, default=f"#{i}"), r.get(item, p, "description", str, default=""),
                _steps(r, r.get(item, p, "steps", list, default=[]), (*p, "steps"), keys), frozenset(expect),
            )
        )  # fmt: skip
    pass_mark = r.get(data, (), "pass_mark", int, default=70)
    if pass_mark is not None and not 0 < pass_mark <= 100:
        r.fail(("pass_mark",), "điểm đạt phải từ 1 đến 100 (phần trăm)")
    title, minutes, task = r.get(data, (), "title", str), r.get(data, (), "minutes", int), r.get(data, (), "task", str)
    if r.problems:
        raise ScenarioError(source, sorted(r.problems))
    return Scenario(
        id=sid, title=title, sector=sector, roles=tuple(roles), level=level, minutes=minutes, task=task, setup=setup,
        checks=tuple(checks), hints=tuple(hints), pass_mark=pass_mark, solution=solution,
        mistakes=tuple(mistakes), rules=rules, source=source,
    )  # fmt: skip


def load_scenario(path: Path) -> Scenario:
    try:
        doc = load_located(path.read_text(encoding="utf-8"))
    except YamlSyntaxError as exc:
        raise ScenarioError(path, [(exc.line, exc.message)]) from None
    return parse_scenario(doc, path)


def load_all(directory: Path) -> list[Scenario]:
    """Every scenario under ``directory``; raises one error listing the problems of every bad file."""
    scenarios, problems = [], []
    for path in sorted(directory.rglob("*.yaml")):
        try:
            scenarios.append(load_scenario(path))
        except ScenarioError as exc:
            problems.append(str(exc))
    if problems:
        raise ValueError("\n".join(problems))
    ids = [s.id for s in scenarios]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise ValueError(f"trùng id kịch bản: {', '.join(dupes)}")
    return scenarios
