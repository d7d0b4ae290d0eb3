"""The ``sandbox`` command: seed a world, print its figures, run the server.

sandbox seed --profile demo --seed 2026 [--force]
sandbox world stats [--json]
sandbox accounts
sandbox run [--host 127.0.0.1] [--port 5000] [--threads 8]
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click

from sandbox.config import Settings


def vn_int(n: int) -> str:
    """1234567 -> '1.234.567' (Vietnamese thousands separator)."""
    return f"{n:,}".replace(",", ".")


def _settings() -> Settings:
    return Settings.from_env()


@contextmanager
def _engine(settings: Settings) -> Iterator[Any]:
    """An engine for one command, disposed at the end (its pooled connections closed)."""
    from sandbox.store.session import make_engine

    engine = make_engine(settings.database_url)
    try:
        yield engine
    finally:
        engine.dispose()


@click.group(help="Sa Bàn Một Cửa — môi trường đào tạo mô phỏng hệ thống một cửa.")
def main() -> None:
    pass


def _upgrade(engine: Any) -> None:
    """Bring an existing database to the newest schema (migrations keep the data)."""
    from sandbox.store import schema

    current, head = schema.current_revision(engine), schema.head_revision()
    if current != head:
        schema.upgrade(engine)
        click.echo(f"Đã nâng cấp cấu trúc cơ sở dữ liệu từ phiên bản {current} lên {head}.")
    schema.refresh_statistics(engine)  # milliseconds; a world seeded before it had none


@main.command(help="Tạo thế giới dữ liệu giả lập (seed a world).")
@click.option("--profile", default=None, help="tiny | demo | load (default: SANDBOX_PROFILE or demo)")
@click.option("--seed", "seed_value", type=int, default=None, help="random seed (same seed, same world)")
@click.option("--force", is_flag=True, help="drop and rebuild an existing world")
@click.option("--if-empty", is_flag=True, help="do nothing when a world already exists")
@click.option("--quiet", is_flag=True, help="no progress bar")
def seed(profile: str | None, seed_value: int | None, force: bool, if_empty: bool, quiet: bool) -> None:
    from sandbox.seeding.world import world_exists

    settings = _settings()
    with _engine(settings) as engine:
        if if_empty and world_exists(engine):
            _upgrade(engine)
            click.echo("Đã có thế giới dữ liệu; giữ nguyên (dùng --force để tạo lại).")
            return
        report = _build(engine, settings, profile, seed_value, force, quiet)
    c = {k: vn_int(v) for k, v in report.counts.items() if isinstance(v, int)}
    click.echo(
        f"Đã tạo thế giới «{report.profile}» (seed {report.seed}) trong {report.seconds:.1f} giây: "
        f"{c['citizens']} công dân, {c['businesses']} doanh nghiệp, {c['officers']} cán bộ, "
        f"{c['procedures']} thủ tục, {c['dossiers']} hồ sơ."
    )


def _build(
    engine: Any, settings: Settings, profile: str | None, seed_value: int | None, force: bool, quiet: bool
) -> Any:
    from sandbox.seeding.profiles import ProfileError
    from sandbox.seeding.world import WorldExists, build_world

    try:
        return build_world(
            engine,
            profile=profile or settings.default_profile,
            seed=settings.default_seed if seed_value is None else seed_value,
            seed_dir=settings.seed_dir,
            force=force,
            progress=not quiet,
        )
    except WorldExists:
        raise click.ClickException("Cơ sở dữ liệu đã có thế giới dữ liệu. Dùng --force để xóa và tạo lại.") from None
    except ProfileError as exc:
        raise click.ClickException(str(exc)) from None


@main.group(help="Thông tin về thế giới dữ liệu.")
def world() -> None:
    pass


@world.command("stats", help="Số liệu của thế giới (tỉnh, xã, cơ quan, cán bộ, công dân, hồ sơ theo trạng thái).")
@click.option("--json", "as_json", is_flag=True)
def world_stats(as_json: bool) -> None:
    from sandbox.domain.vocabulary import Status
    from sandbox.seeding.world import world_counts, world_exists

    with _engine(_settings()) as engine:
        if not world_exists(engine):
            raise click.ClickException("Chưa có thế giới dữ liệu. Chạy: sandbox seed")
        counts = world_counts(engine)
    if as_json:
        click.echo(json.dumps(counts, ensure_ascii=False, indent=2))
        return
    for key, value in counts.items():
        if key != "dossiers_per_status":
            click.echo(f"{key:>12}: {vn_int(value)}")
    for code, n in counts["dossiers_per_status"].items():
        click.echo(f"  {code:>2} {Status(int(code)).label:<40} {vn_int(n):>8}")


@main.group(help="Kịch bản luyện tập: kiểm tra tệp và tự kiểm tra lời giải.")
def scenario() -> None:
    pass


def _scenarios(ids: tuple[str, ...], all_: bool) -> list[Any]:
    from sandbox import paths
    from sandbox.training.scenarios import load_all

    try:
        found = load_all(paths.SCENARIOS_DIR)
    except ValueError as exc:
        raise click.ClickException(f"Kịch bản không hợp lệ:\n{exc}") from None
    if all_ or not ids:
        return found
    by_id = {s.id: s for s in found}
    missing = [i for i in ids if i not in by_id]
    if missing:
        raise click.ClickException(f"Không có kịch bản: {', '.join(missing)}")
    return [by_id[i] for i in ids]


@scenario.command("validate", help="Kiểm tra cú pháp và nội dung mọi tệp kịch bản.")
def scenario_validate() -> None:
    found = _scenarios((), True)
    click.echo(f"{len(found)} kịch bản hợp lệ.")


@scenario.command("verify", help="Chạy lời giải (phải đạt 100 %) và các lỗi mẫu của kịch bản trong không gian mới.")
@click.argument("ids", nargs=-1)
@click.option("--all", "all_", is_flag=True, help="mọi kịch bản")
@click.option("--json", "as_json", is_flag=True)
def scenario_verify(ids: tuple[str, ...], all_: bool, as_json: bool) -> None:
    from sandbox.seeding.world import world_exists
    from sandbox.training.runner import verify_scenario

    chosen = _scenarios(ids, all_)
    with _engine(_settings()) as engine:
        if not world_exists(engine):
            raise click.ClickException("Chưa có thế giới dữ liệu. Chạy: sandbox seed")
        reports = [verify_scenario(engine, s) for s in chosen]
    if as_json:
        click.echo(json.dumps({"scenarios": [r.as_dict() for r in reports]}, ensure_ascii=False, indent=2))
    else:
        for r in reports:
            mark = "ĐẠT " if r.ok else "LỖI "
            click.echo(f"{mark} {r.id} (ngành {r.sector}, mức {r.level}): lời giải {r.solution_percent:g} %")
            for err in r.solution_errors:
                click.echo(f"      lời giải bị từ chối: {err}")
            for m in r.mistakes:
                flag = "đúng" if m.as_expected else "SAI"
                click.echo(f"      lỗi mẫu {m.name}: {flag} (mong đợi {m.expected}, bị trừ {m.lost})")
    if not all(r.ok for r in reports):
        sys.exit(1)


@main.command(help="In bảng tài khoản mẫu (--load --json: tài khoản cho bộ kiểm thử tải loadtests/).")
@click.option(
    "--load", "for_load", is_flag=True, help="officers by role, citizens and filings of one province, as JSON"
)
@click.option("--province", default=None, help="with --load: province code (default: the demo province)")
@click.option("--citizens", type=click.IntRange(0, 1_000_000), default=2000, show_default=True,
              help="with --load: how many citizens")  # fmt: skip
def accounts(for_load: bool, province: str | None, citizens: int) -> None:
    from sandbox.seeding.world import demo_accounts

    with _engine(_settings()) as engine:
        if not for_load:
            print_accounts(demo_accounts(engine))
            return
        from sandbox.seeding.load_accounts import load_accounts

        try:
            data = load_accounts(engine, province=province, citizens=citizens)
        except ValueError as exc:
            raise click.ClickException(str(exc)) from None
        click.echo(json.dumps(data, ensure_ascii=False, indent=1))


def print_accounts(rows: list[dict[str, str]], *, per_role: int | None = None) -> None:
    """The demo logins, grouped by role; ``per_role`` keeps the start-up banner short."""
    from sandbox.seeding.officers import DEMO_PASSWORD
    from sandbox.services.auth import CITIZEN_DEMO_PASSWORD

    click.echo(f"\nTài khoản mẫu (mật khẩu chung: {DEMO_PASSWORD}):")
    width = max((len(r["username"]) for r in rows), default=10)
    role_width = max((len(r["role"]) for r in rows), default=10)
    groups: dict[str, list[dict[str, str]]] = {}
    for r in rows:
        groups.setdefault(r["role"], []).append(r)
    for items in groups.values():
        shown = items if per_role is None else items[:per_role]
        for r in shown:
            click.echo(f"  {r['username']:<{width}}  {r['role']:<{role_width}}  {r['name']} — {r['agency']}")
        if len(items) > len(shown):
            click.echo(f"  {'':<{width}}  {'':<{role_width}}  … và {len(items) - len(shown)} tài khoản khác")
    if per_role is not None:
        click.echo("  (Danh sách đầy đủ: .venv/bin/sandbox accounts)")
    click.echo(
        "  Công dân: Cổng Dịch vụ công tại /dich-vu-cong/ — đăng nhập bằng số định danh 12 số của một công dân\n"
        f"  trong CSDL giả lập (trang đăng nhập gợi ý sẵn vài người), mật khẩu VNeID {CITIZEN_DEMO_PASSWORD}\n"
    )


@main.command(help="Chạy máy chủ (waitress; hoặc gunicorn nhiều tiến trình với --workers, cho lớp đông).")
@click.option("--host", default=None, help="default SANDBOX_HOST or 127.0.0.1")
@click.option("--port", type=int, default=None, help="default SANDBOX_PORT or 5000")
@click.option("--threads", type=int, default=None, help="default SANDBOX_THREADS or 8")
@click.option("--workers", type=int, default=None,
              help="processes (gunicorn, Linux/macOS); default SANDBOX_WORKERS or 1 (waitress)")  # fmt: skip
def run(host: str | None, port: int | None, threads: int | None, workers: int | None) -> None:
    from sandbox.seeding.world import demo_accounts, world_exists
    from sandbox.web import server
    from sandbox.web.app import create_app

    settings = _settings()
    with _engine(settings) as engine:
        if not world_exists(engine):
            raise click.ClickException("Chưa có thế giới dữ liệu. Chạy: sandbox seed (hoặc make run).")
        _upgrade(engine)
        accounts = demo_accounts(engine)
    host, port = host or settings.host, port or settings.port
    workers = server.workers_here(workers or settings.workers)
    threads = threads or server.threads_for(workers, settings.threads)
    app = create_app(settings)
    print_accounts(accounts, per_role=2)
    click.echo(f"Máy chủ: {server.describe(threads=threads, workers=workers)}.")
    click.echo(f"Sa Bàn Một Cửa đang chạy tại: http://{host}:{port}/   (Ctrl+C để dừng)")
    sys.stdout.flush()
    server.serve(app, settings, host=host, port=port, threads=threads, workers=workers)


if __name__ == "__main__":
    main()
