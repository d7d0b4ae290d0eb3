"""The readiness report of a run folder: Markdown and one self-contained HTML page (inline SVG charts).

Sources, in the folder: ``verdict.json`` (thresholds judged on Locust's figures), Locust's own CSVs
(``locust_stats.csv`` per request, ``locust_stats_history.csv`` over time, ``locust_failures.csv``),
``baseline_stats.csv`` (the bare endpoint at full speed before the run), ``environment.json``.
Every figure is shown next to the bare endpoint's, so none is read without its ratio.
"""

from __future__ import annotations

import csv
import html
import json
from pathlib import Path
from typing import Any

PROBE = "/healthz/live"


def _rows(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _num(v: str | None) -> float:
    try:
        return float(v) if v not in (None, "", "N/A") else 0.0
    except ValueError:
        return 0.0


def _fmt(v: float | None, unit: str = "") -> str:
    if v is None:
        return "—"
    if float(v).is_integer() or abs(v) >= 100:
        text = f"{v:,.0f}"
    else:
        text = f"{v:,.1f}" if abs(v) >= 10 else f"{v:,.2f}"
    return text.replace(",", "\u202f").replace(".", ",") + unit


def _value(j: dict[str, Any]) -> str:
    if j["measured"] is None:
        return "—"
    if j["metric"] == "fail_ratio":
        return f"{j['measured']:.2%}".replace(".", ",")
    return _fmt(j["measured"], " ms" if j["metric"] not in ("rps", "requests") else "")


def _mark(j: dict[str, Any], *, plain: bool = False) -> str:
    if j["passed"] is None:
        return "Chưa đo được" if plain else "⚪ Chưa đo được"
    if j["passed"]:
        return "Đạt" if plain else "✅ Đạt"
    return "Không đạt" if plain else "❌ Không đạt"


def collect(folder: Path) -> dict[str, Any]:
    verdict = json.loads((folder / "verdict.json").read_text(encoding="utf-8"))
    env = (
        json.loads((folder / "environment.json").read_text(encoding="utf-8"))
        if (folder / "environment.json").exists()
        else {}
    )
    stats = _rows(folder / "locust_stats.csv")
    requests = [r for r in stats if r["Name"] not in ("Aggregated", PROBE)]
    probe = next((r for r in stats if r["Name"] == PROBE), None)
    total_all = next((r for r in stats if r["Name"] == "Aggregated"), None)
    base = next((r for r in _rows(folder / "baseline_stats.csv") if r["Name"] == "Aggregated"), None)
    every = _rows(folder / "locust_stats_history.csv")
    history = [r for r in every if r["Name"] == "Aggregated"]
    full_history = any(r["Name"] != "Aggregated" for r in every)
    failures = _rows(folder / "locust_failures.csv")
    duration = float(verdict.get("duration_s") or 0)
    probe_n = _num(probe["Request Count"]) if probe else 0
    all_n = _num(total_all["Request Count"]) if total_all else 0
    rps = (all_n - probe_n) / duration if duration else 0.0
    return {"verdict": verdict, "env": env, "requests": requests, "probe": probe, "baseline": base,
            "history": history, "full_history": full_history, "failures": failures, "rps": rps, "duration": duration}  # fmt: skip


def _ratio_rows(d: dict[str, Any]) -> list[tuple[str, str, str, str, str, str, str]]:
    probe_p50 = _num(d["probe"]["50%"]) if d["probe"] else 0
    out = []
    for r in sorted(d["requests"], key=lambda r: -_num(r["Request Count"])):
        n, fails = _num(r["Request Count"]), _num(r["Failure Count"])
        p95 = _num(r["95%"])
        ratio = f"{_num(r['50%']) / probe_p50:.1f}×".replace(".", ",") if probe_p50 else "—"
        out.append((f"{r['Type']} {r['Name']}", _fmt(n), f"{fails / n:.2%}".replace(".", ",") if n else "—",
                    _fmt(_num(r["50%"]), " ms"), _fmt(p95, " ms"), _fmt(_num(r["99%"]), " ms"), ratio))  # fmt: skip
    return out


def _summary(d: dict[str, Any]) -> list[str]:
    v, env = d["verdict"], d["env"]
    base = d["baseline"]
    base_rps = _num(base["Requests/s"]) if base else 0
    lines = [
        f"Kịch bản: «{v['shape']['shape']}», {_fmt(d['duration'] / 60)} phút; "
        f"thông lượng trung bình {_fmt(d['rps'])} yêu cầu/giây.",
    ]
    if base:
        share = f"{d['rps'] / base_rps:.1%}".replace(".", ",") if base_rps else "—"
        lines.append(f"Điểm cuối trần {PROBE} (không cơ sở dữ liệu; đo hết tốc độ ngay trước lượt chạy, cùng máy sinh tải): "
                     f"{_fmt(base_rps)} yêu cầu/giây, p50 {_fmt(_num(base['50%']), ' ms')}, "
                     f"p95 {_fmt(_num(base['95%']), ' ms')}. Tải của lượt chạy bằng {share} năng lực đó.")  # fmt: skip
    if d["probe"]:
        p = d["probe"]
        lines.append(f"Cùng điểm cuối trần, đo mỗi giây trong khi chạy tải: p50 {_fmt(_num(p['50%']), ' ms')}, "
                     f"p95 {_fmt(_num(p['95%']), ' ms')} (cột «p50 so với nền» chia p50 của mỗi yêu cầu cho p50 này: bao nhiêu lần một yêu cầu trần).")  # fmt: skip
    if v.get("aborted"):
        lines.append(f"**Lượt chạy đã dừng sớm**: {v['aborted']}")
    w, m, s = env.get("world", {}), env.get("machine", {}), env.get("software", {})
    lines.append(f"Môi trường: máy chủ {env.get('server', '—')}; cơ sở dữ liệu {env.get('database', '—')}; "
                 f"thế giới dữ liệu {_fmt(w.get('dossiers'))} hồ sơ, {_fmt(w.get('citizens'))} công dân, "
                 f"{_fmt(w.get('officers'))} cán bộ (tham gia: {w.get('province_name', '—')}); máy {m.get('cpu', '—')}, "
                 f"{m.get('cores', '—')} nhân, {m.get('memory_gb', '—')} GB RAM; Python {s.get('python', '—')}, "
                 f"Locust {s.get('locust', '—')}, {env.get('load_generator', {}).get('processes', 1)} tiến trình sinh tải "
                 f"{'trên cùng máy với máy chủ' if env.get('load_generator', {}).get('same_machine_as_server') else ''}; "
                 f"phiên bản mã {s.get('revision', '—')}; bắt đầu {env.get('started_at', '—')}.")  # fmt: skip
    return lines


def markdown(d: dict[str, Any]) -> str:
    v = d["verdict"]
    out = [f"# Báo cáo sẵn sàng vận hành — {'ĐẠT' if v['passed'] else 'KHÔNG ĐẠT'}", ""]
    out += [f"- {line}" for line in _summary(d)]
    out += [
        "",
        "## Ngưỡng",
        "",
        "| Kết quả | Nội dung | Phạm vi | Ngưỡng | Đo được | Số yêu cầu |",
        "|---|---|---|---|---|---:|",
    ]
    for j in v["thresholds"]:
        out.append(f"| {_mark(j)} | {j['label'] or '—'} | `{j['scope']}` | "
                   f"{j['description']} | {_value(j)}{' (' + j['note'] + ')' if j.get('note') else ''} | {j['requests']} |")  # fmt: skip
    out += ["", "## Theo yêu cầu (nguồn: locust_stats.csv)", "",
            "| Yêu cầu | Số lượng | Lỗi | p50 | p95 | p99 | p50 so với nền |", "|---|---:|---:|---:|---:|---:|---:|"]  # fmt: skip
    out += ["| " + " | ".join(row) + " |" for row in _ratio_rows(d)]
    if d["failures"]:
        out += ["", "## Lỗi (nguồn: locust_failures.csv)", "", "| Yêu cầu | Lỗi | Số lần |", "|---|---|---:|"]
        out += [f"| {f['Method']} {f['Name']} | {f['Error'][:160]} | {f['Occurrences']} |" for f in d["failures"]]
    out += ["", "Tệp gốc: locust_stats.csv, locust_stats_history.csv, locust_failures.csv, locust.json, locust.html, "
            "baseline_stats.csv, verdict.json, environment.json.", ""]  # fmt: skip
    return "\n".join(out)


def _window(d: dict[str, Any]) -> str:
    """What the percentiles of the history are: Locust writes those of the last 10 seconds with
    ``--csv-full-history`` (then each request has rows of its own), else those of the run so far."""
    return "trong 10 giây gần nhất ở mỗi thời điểm" if d["full_history"] else "tính dồn từ đầu lượt chạy"


def _chart(title: str, history: list[dict[str, str]], series: list[tuple[str, str, str]], unit: str) -> str:
    """A line chart over the run (x: seconds from the start) as inline SVG."""
    w, h, pad = 720, 220, 44
    if len(history) < 2:
        return f"<figure><figcaption>{html.escape(title)}</figcaption><p>Chưa đủ số liệu theo thời gian.</p></figure>"
    t0 = _num(history[0]["Timestamp"])
    xs = [_num(r["Timestamp"]) - t0 for r in history]
    ymax = max([_num(r[col]) for r in history for _, col, _ in series] + [1e-9]) * 1.1
    xmax = max(xs[-1], 1)

    def pt(x: float, y: float) -> str:
        return f"{pad + x / xmax * (w - pad - 10):.1f},{h - 24 - y / ymax * (h - 40):.1f}"

    lines = []
    for _label, col, color in series:
        points = " ".join(pt(x, _num(r[col])) for x, r in zip(xs, history, strict=True))
        lines.append(f'<polyline fill="none" stroke="{color}" stroke-width="1.6" points="{points}"/>')
    legend = " ".join(f'<tspan fill="{c}">■ {html.escape(lab)}</tspan>' for lab, _, c in series)
    return (f'<figure><figcaption>{html.escape(title)}</figcaption><svg viewBox="0 0 {w} {h}" role="img" '
            f'aria-label="{html.escape(title)}"><rect x="{pad}" y="16" width="{w - pad - 10}" height="{h - 40}" '
            f'fill="#fafafa" stroke="#ccc"/><text x="4" y="22" font-size="11">{_fmt(ymax / 1.1)}{unit}</text>'
            f'<text x="4" y="{h - 24}" font-size="11">0</text><text x="{w - 80}" y="{h - 6}" font-size="11">'
            f'{_fmt(xmax)} giây</text>{"".join(lines)}<text x="{pad}" y="12" font-size="11">{legend}</text></svg></figure>')  # fmt: skip


def page(d: dict[str, Any]) -> str:
    v = d["verdict"]
    ok = v["passed"]
    rows = "".join(
        f"<tr class='{'na' if j['passed'] is None else 'ok' if j['passed'] else 'ko'}'><td>{_mark(j, plain=True)}</td>"
        f"<td>{html.escape(j['label'] or '—')}</td><td><code>{html.escape(j['scope'])}</code></td>"
        f"<td>{html.escape(j['description'])}</td><td>{html.escape(_value(j))}"
        f"{html.escape(' (' + j['note'] + ')') if j.get('note') else ''}</td><td>{j['requests']}</td></tr>"
        for j in v["thresholds"]
    )
    per_request = "".join(
        "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in _ratio_rows(d)
    )
    failures = "".join(f"<tr><td>{html.escape(f['Method'] + ' ' + f['Name'])}</td><td>{html.escape(f['Error'][:200])}</td>"
                       f"<td>{html.escape(f['Occurrences'])}</td></tr>" for f in d["failures"])  # fmt: skip
    hist = d["history"]
    charts = (
        _chart("Thông lượng và lỗi (yêu cầu/giây)", hist, [("yêu cầu/giây", "Requests/s", "#1f6feb"),
                                                           ("lỗi/giây", "Failures/s", "#d1242f")], "")
        + _chart(f"Thời gian đáp ứng theo phân vị (ms), {_window(d)}", hist,
                 [("p50", "50%", "#2da44e"), ("p95", "95%", "#bf8700"), ("p99", "99%", "#8250df")], " ms")
        + _chart("Số người dùng đồng thời", hist, [("người dùng", "User Count", "#57606a")], "")
    )  # fmt: skip
    summary = "".join(f"<li>{html.escape(line).replace('**', '')}</li>" for line in _summary(d))
    return f"""<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Báo cáo sẵn sàng vận hành</title>
<style>body{{font-family:system-ui,sans-serif;max-width:980px;margin:2em auto;padding:0 1em;color:#1f2328}}
h1{{color:{"#1a7f37" if ok else "#cf222e"}}}table{{border-collapse:collapse;width:100%;font-size:14px;margin:1em 0}}
td,th{{border:1px solid #d0d7de;padding:4px 6px;text-align:left}}tr.ok td:first-child{{color:#1a7f37;font-weight:bold}}
tr.ko td:first-child{{color:#cf222e;font-weight:bold}}tr.na td{{color:#6e7781}}figure{{margin:1em 0}}svg{{width:100%;height:auto}}
figcaption{{font-weight:bold}}code{{font-size:12px}}</style></head><body>
<h1>Báo cáo sẵn sàng vận hành — {"ĐẠT" if ok else "KHÔNG ĐẠT"}</h1><ul>{summary}</ul>
<h2>Ngưỡng</h2><table><tr><th>Kết quả</th><th>Nội dung</th><th>Phạm vi</th><th>Ngưỡng</th><th>Đo được</th><th>Số yêu cầu</th></tr>{rows}</table>
<h2>Theo thời gian</h2>{charts}
<h2>Theo yêu cầu</h2><table><tr><th>Yêu cầu</th><th>Số lượng</th><th>Lỗi</th><th>p50</th><th>p95</th><th>p99</th><th>p50 so với nền</th></tr>{per_request}</table>
{"<h2>Lỗi</h2><table><tr><th>Yêu cầu</th><th>Lỗi</th><th>Số lần</th></tr>" + failures + "</table>" if failures else ""}
<p>Nguồn số liệu: các tệp CSV của Locust trong cùng thư mục (locust_stats.csv, locust_stats_history.csv,
locust_failures.csv), verdict.json, environment.json; báo cáo HTML gốc của Locust: <a href="locust.html">locust.html</a>.</p>
</body></html>
"""


def write(folder: Path) -> None:
    d = collect(folder)
    (folder / "report.md").write_text(markdown(d), encoding="utf-8")
    (folder / "report.html").write_text(page(d), encoding="utf-8")
