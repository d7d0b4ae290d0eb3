"""How long the officer, citizen and administrator pages take to render, against a bare endpoint of the same app in the same run.

    .venv/bin/python bench/pages.py [--profile demo] [--runs 50] [--json]

Requests go through Flask's test client (no socket): this measures the application — routing, the
session, queries, templates — not waitress or the network. The ratio to `/healthz` (a bare JSON
endpoint served by the same app, measured interleaved) factors out the machine.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import select  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from bench._world import bench_engine  # noqa: E402
from sandbox.config import Settings  # noqa: E402
from sandbox.store.models import Dossier, IssuedForm  # noqa: E402
from sandbox.web.app import create_app  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", default="demo")
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    engine, path = bench_engine(args.profile)
    with Session(engine) as s:  # a desk dossier with a printed receipt, and an applicant to search for
        form = s.scalars(select(IssuedForm).join(Dossier).where(Dossier.code.like("000.00.20.H%"))
                         .order_by(IssuedForm.id.desc())).first()  # fmt: skip
        code, form_id, name = form.dossier.code, form.id, form.dossier.applicant_name
        returned = s.scalars(select(Dossier).where(Dossier.code.like("000.00.20.H%"), Dossier.status == 10,
                                                   Dossier.result_signed.is_(True))).first()  # fmt: skip
        result_code, cccd = returned.code, returned.citizen.cccd
        procedure = returned.procedure.code
    url = str(engine.url) if path is None else f"sqlite:///{path}"
    settings = Settings.from_env({}, database_url=url, instance_dir=Path(tempfile.mkdtemp(prefix="bench-pages-")))
    app = create_app(settings)

    def signed_in(login_path: str, fields: dict[str, str]):  # noqa: ANN202
        client = app.test_client()
        page = client.get(login_path).get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        client.post(login_path, data={**fields, "csrf_token": token})
        return client

    desk = signed_in("/dang-nhap", {"username": "motcua", "password": "demo2026"})
    admin = signed_in("/dang-nhap", {"username": "quantri", "password": "demo2026"})
    citizen = signed_in("/dich-vu-cong/dang-nhap", {"so_dinh_danh": cccd, "mat_khau": "vneid2026"})
    pages = {
        "healthz (bare)": (desk, "/healthz"),
        "queue": (desk, "/motcua/"),
        "search by name": (desk, f"/motcua/?xem=tat-ca&q={name}"),
        "coordination": (desk, "/motcua/dieu-phoi"),
        "dossier": (desk, f"/motcua/ho-so/{code}"),
        "printable form": (desk, f"/motcua/ho-so/{code}/bieu-mau/{form_id}"),
        "form PDF": (desk, f"/motcua/ho-so/{code}/bieu-mau/{form_id}.pdf"),
        "result PDF": (citizen, f"/dich-vu-cong/ho-so/{result_code}/ket-qua.pdf"),
        "portal dossier": (citizen, f"/dich-vu-cong/ho-so/{result_code}"),
        "portal filing form": (citizen, f"/dich-vu-cong/thu-tuc/{procedure}/nop-truc-tuyen"),
        "admin units": (admin, "/quan-tri/"),
    }
    times: dict[str, list[float]] = {k: [] for k in pages}
    for _ in range(args.runs):  # interleaved, so a slow moment of the machine hits every page alike
        for key, (client, path_) in pages.items():
            start = time.perf_counter()
            resp = client.get(path_)
            times[key].append((time.perf_counter() - start) * 1000)
            if resp.status_code != 200:
                raise SystemExit(f"{path_} answered {resp.status_code}")
    base = statistics.median(times["healthz (bare)"])
    figures = {
        key: {
            "median_ms": round(statistics.median(t), 2),
            "p95_ms": round(sorted(t)[int(len(t) * 0.95) - 1], 2),
            "ratio_to_bare": round(statistics.median(t) / base, 1),
        }  # fmt: skip
        for key, t in times.items()
    }
    result = {"profile": args.profile, "runs": args.runs, "pages": figures}
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(f"Pages, world «{args.profile}», {args.runs} interleaved runs (test client, no socket):")
        for key, f in figures.items():
            print(
                f"  {key:<18} median {f['median_ms']:7.2f} ms   p95 {f['p95_ms']:7.2f} ms   ×{f['ratio_to_bare']} bare"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
