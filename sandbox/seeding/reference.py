"""Load the global reference data: administrative units, sector systems, agencies, procedures.

Sources: ``seed/admin_units.csv`` (34 provinces and 3,321 communes after the 2025 merger,
exported from the MIT-licensed ``vietnamadminunits`` data) and ``seed/procedures/*.yaml``.
Agencies are generated from the units: per province a public-service centre and the four
sector departments (Sở); per commune its People's Committee and its public-service centre.
Agency codes have the QCVN 102:2016 shape but are illustrative, not the real registry's.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import Connection, insert

from sandbox.domain.identifiers import is_valid_procedure_code
from sandbox.domain.vocabulary import CompetentLevel, CopyType, OnlineLevel, Sector
from sandbox.store.models import Agency, Commune, Procedure, ProcedureDocument, Province, SectorSystem

MINISTRIES = {
    Sector.KHCN: "Bộ Khoa học và Công nghệ",
    Sector.NOIVU: "Bộ Nội vụ",
    Sector.XAYDUNG: "Bộ Xây dựng",
    Sector.NNMT: "Bộ Nông nghiệp và Môi trường",
}
DEPARTMENT_NAMES = {
    Sector.KHCN: "Sở Khoa học và Công nghệ",
    Sector.NOIVU: "Sở Nội vụ",
    Sector.XAYDUNG: "Sở Xây dựng",
    Sector.NNMT: "Sở Nông nghiệp và Môi trường",
}
DEPARTMENT_NUMBERS = {Sector.KHCN: 11, Sector.NOIVU: 12, Sector.XAYDUNG: 13, Sector.NNMT: 14}


class CatalogueError(ValueError):
    """A seed file is wrong; the message names the file, the entry and the field."""


@dataclass(frozen=True)
class UnitRow:
    province_code: str
    province_name: str
    commune_code: str
    commune_name: str
    commune_kind: str
    lat: float | None
    lon: float | None


def read_units(seed_dir: Path) -> list[UnitRow]:
    with (seed_dir / "admin_units.csv").open(encoding="utf-8", newline="") as fh:
        return [
            UnitRow(
                r["province_code"], r["province_name"], r["commune_code"], r["commune_name"], r["commune_type"],
                float(r["lat"]) if r["lat"] else None, float(r["lon"]) if r["lon"] else None,
            )
            for r in csv.DictReader(fh)
        ]  # fmt: skip


def short_province(name: str) -> str:
    """'Tỉnh Ninh Bình' -> 'tỉnh Ninh Bình' (as it reads inside an agency name)."""
    return name[0].lower() + name[1:]


def build_agencies(units: list[UnitRow]) -> list[dict[str, Any]]:
    """Agencies in a fixed order, with explicit ids (same world for the same data)."""
    rows: list[dict[str, Any]] = []
    provinces: dict[str, str] = {}
    for u in units:
        provinces.setdefault(u.province_code, u.province_name)
    for code, name in provinces.items():
        rows.append(
            dict(code=f"000.00.20.H{code}", name=f"Trung tâm Phục vụ hành chính công {short_province(name)}",
                 kind="ttpvhcc_tinh", level=CompetentLevel.PROVINCE, province_code=code, commune_code=None,
                 sector_id=None)
        )  # fmt: skip
        for sector in Sector:
            rows.append(
                dict(code=f"000.00.{DEPARTMENT_NUMBERS[sector]}.H{code}",
                     name=f"{DEPARTMENT_NAMES[sector]} {short_province(name)}", kind="so",
                     level=CompetentLevel.PROVINCE, province_code=code, commune_code=None, sector_id=sector)
            )  # fmt: skip
    index: dict[str, int] = {}
    for u in units:
        i = index[u.province_code] = index.get(u.province_code, 0) + 1
        where = short_province(u.commune_name)
        common = dict(level=CompetentLevel.COMMUNE, province_code=u.province_code, commune_code=u.commune_code,
                      sector_id=None)  # fmt: skip
        rows.append(dict(code=f"{i:03d}.00.30.H{u.province_code}", name=f"Ủy ban nhân dân {where}", kind="ubnd_xa",
                         **common))  # fmt: skip
        rows.append(dict(code=f"{i:03d}.00.31.H{u.province_code}",
                         name=f"Trung tâm Phục vụ hành chính công {where}", kind="ttpvhcc_xa", **common))  # fmt: skip
    for n, row in enumerate(rows, start=1):
        row["id"] = n
        row["parent_id"] = None
    return rows


# --------------------------------------------------------------------------- procedures

_PROC_FIELDS = {
    "code": str, "code_verified": bool, "name": str, "field": str, "level": str, "online": str,
    "deadline_days": (int, float), "fee": int, "fee_name": str, "result": str, "result_kind": str,
    "payment_required": bool, "boundary_free": bool, "eform": list, "documents": list,
}  # fmt: skip
_OPTIONAL = {"source"}
_DOC_FIELDS = {"code": str, "name": str, "copy": str, "required": bool, "digitize": bool}
_EFORM_TYPES = {"text", "textarea", "number", "date", "select", "checkbox"}
_COPY = {"ban_chinh": CopyType.ORIGINAL, "ban_sao": CopyType.COPY}


def _fail(path: Path, where: str, message: str) -> CatalogueError:
    return CatalogueError(f"{path.name}: {where}: {message}")


def _check_fields(path: Path, where: str, entry: Any, spec: dict[str, Any], optional: Iterable[str] = ()) -> None:
    if not isinstance(entry, dict):
        raise _fail(path, where, "must be a mapping")
    missing = sorted(set(spec) - set(entry))
    extra = sorted(set(entry) - set(spec) - set(optional))
    if missing:
        raise _fail(path, where, f"missing field(s) {', '.join(missing)}")
    if extra:
        raise _fail(path, where, f"unknown field(s) {', '.join(extra)}")
    for key, kind in spec.items():
        value = entry[key]
        if isinstance(value, bool) and kind is not bool and kind != (int, float):
            raise _fail(path, where, f"field {key!r} must be {kind}, not a boolean")
        if not isinstance(value, kind):
            raise _fail(path, where, f"field {key!r} must be {getattr(kind, '__name__', kind)}")


def load_catalogue(seed_dir: Path) -> list[dict[str, Any]]:
    """Read and strictly validate ``seed/procedures/*.yaml``; return procedures with their sector."""
    out: list[dict[str, Any]] = []
    seen: dict[str, str] = {}
    files = sorted((seed_dir / "procedures").glob("*.yaml"))
    if not files:
        raise CatalogueError(f"no procedure files in {seed_dir / 'procedures'}")
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or set(data) != {"sector", "name", "procedures"}:
            raise _fail(path, "top level", "needs exactly: sector, name, procedures")
        sector = Sector.parse(data["sector"])
        if sector is None or sector.value != path.stem:
            raise _fail(path, "sector", f"must be one of {[s.value for s in Sector]} and equal the file name")
        for i, proc in enumerate(data["procedures"], start=1):
            where = f"procedure #{i}"
            _check_fields(path, where, proc, _PROC_FIELDS, _OPTIONAL)
            where = f"procedure #{i} ({proc['code']})"
            if not is_valid_procedure_code(proc["code"]):
                raise _fail(path, where, "code must look like d.dddddd")
            if proc["code"] in seen:
                raise _fail(path, where, f"code already used in {seen[proc['code']]}")
            seen[proc["code"]] = path.name
            if CompetentLevel.parse(proc["level"]) is None or OnlineLevel.parse(proc["online"]) is None:
                raise _fail(path, where, "level must be province|commune and online toan_trinh|mot_phan")
            if not 0 < proc["deadline_days"] <= 60:
                raise _fail(path, where, "deadline_days must be within (0, 60]")
            if proc["fee"] < 0 or (proc["fee"] == 0 and proc["payment_required"]):
                raise _fail(path, where, "fee must be ≥ 0, and payment_required needs a fee")
            if not 1 <= len(proc["documents"]) <= 8:
                raise _fail(path, where, "needs 1 to 8 documents")
            codes = set()
            for j, doc in enumerate(proc["documents"], start=1):
                _check_fields(path, f"{where} document #{j}", doc, _DOC_FIELDS)
                if doc["copy"] not in _COPY or doc["code"] in codes:
                    raise _fail(path, f"{where} document #{j}", "copy must be ban_chinh|ban_sao; codes unique")
                codes.add(doc["code"])
            for j, f in enumerate(proc["eform"], start=1):
                if not isinstance(f, dict) or not {"name", "label", "type"} <= set(f) or f["type"] not in _EFORM_TYPES:
                    raise _fail(path, f"{where} eform #{j}", f"needs name, label, type in {sorted(_EFORM_TYPES)}")
                if f["type"] == "select" and not f.get("options"):
                    raise _fail(path, f"{where} eform #{j}", "a select needs options")
            out.append({**proc, "sector": sector})
    return out


# --------------------------------------------------------------------------- loading


def load_reference(conn: Connection, seed_dir: Path) -> dict[str, Any]:
    """Insert all reference data; return what the rest of the seeder needs to know."""
    units = read_units(seed_dir)
    provinces = {u.province_code: u.province_name for u in units}
    conn.execute(insert(Province), [{"code": c, "name": n} for c, n in provinces.items()])
    conn.execute(
        insert(Commune),
        [dict(code=u.commune_code, province_code=u.province_code, name=u.commune_name, kind=u.commune_kind,
              lat=u.lat, lon=u.lon) for u in units],
    )  # fmt: skip
    conn.execute(insert(SectorSystem), [{"id": s, "name": s.label, "ministry": MINISTRIES[s]} for s in Sector])
    agencies = build_agencies(units)
    conn.execute(insert(Agency), agencies)
    catalogue = load_catalogue(seed_dir)
    proc_rows, doc_rows = [], []
    for pid, p in enumerate(catalogue, start=1):
        proc_rows.append(
            dict(id=pid, code=p["code"], code_verified=p["code_verified"], name=p["name"], sector_id=p["sector"],
                 field=p["field"], level=CompetentLevel.parse(p["level"]), online=OnlineLevel.parse(p["online"]),
                 deadline_days=float(p["deadline_days"]), fee=p["fee"], fee_name=p["fee_name"], result=p["result"],
                 result_kind=p["result_kind"], payment_required=p["payment_required"],
                 boundary_free=p["boundary_free"], eform=p["eform"], source=p.get("source", ""))
        )  # fmt: skip
        for pos, d in enumerate(p["documents"], start=1):
            doc_rows.append(
                dict(procedure_id=pid, position=pos, code=d["code"], name=d["name"], copy_type=_COPY[d["copy"]],
                     required=d["required"], digitize=d["digitize"])
            )  # fmt: skip
    conn.execute(insert(Procedure), proc_rows)
    conn.execute(insert(ProcedureDocument), doc_rows)
    return {"units": units, "agencies": agencies, "procedures": proc_rows, "documents": doc_rows}
