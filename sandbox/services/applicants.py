"""The applicant's side: who they are (from the registries, never typed), answering a supplement request,
and the satisfaction vote."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from sandbox.domain import lifecycle
from sandbox.domain.errors import Conflict, Forbidden, InvalidInput, NotFound, TransitionRefused
from sandbox.domain.inputs import is_clean_text, shorten
from sandbox.domain.lifecycle import Outcome
from sandbox.domain.vocabulary import Action, Activity, CopyType, Role, Satisfaction
from sandbox.integrations.faults import IntegrationUnavailable
from sandbox.services import files
from sandbox.services.context import ServiceContext
from sandbox.services.dossiers import Hook, perform, record_activity
from sandbox.services.files import Upload
from sandbox.services.reading import check_jurisdiction, get_dossier
from sandbox.store.models import Business, Citizen, Dossier, DossierDocument, Event, ProcedureDocument, Rating


@dataclass
class Profile:
    citizen: Citizen
    businesses: list[Business] = field(default_factory=list)
    business_registry_down: str | None = None  # the message when the business registry did not answer


def profile_of(ctx: ServiceContext) -> Profile:
    """The signed-in citizen as the population registry has them, and the businesses they represent.

    The population registry being down stops the filing (there is no identity to file with); the
    business registry being down only hides the businesses, and says so."""
    if ctx.actor.role is not Role.CITIZEN or ctx.actor.id is None:
        raise Forbidden("Chỉ công dân đăng nhập bằng tài khoản định danh điện tử mới nộp hồ sơ trực tuyến.")
    own = ctx.session.get(Citizen, ctx.actor.id)
    if own is None:
        raise NotFound("Không tìm thấy thông tin công dân trong CSDL quốc gia về dân cư.")
    citizen = ctx.integrations.population.citizen_by_cccd(ctx.session, own.cccd)
    profile = Profile(citizen)
    try:
        profile.businesses = ctx.integrations.business_registry.businesses_represented_by(ctx.session, citizen.id)
    except IntegrationUnavailable as exc:
        profile.business_registry_down = exc.message
    return profile


# --------------------------------------------------------------------------- answering, rating


def requested_documents(ctx: ServiceContext, dossier: Dossier) -> list[ProcedureDocument]:
    """The documents the last supplement request (Mẫu 02) asked for, in the procedure's order."""
    last = ctx.session.scalars(
        select(Event).where(Event.workspace_id == ctx.workspace_id, Event.dossier_id == dossier.id,
                            Event.action == Action.REQUEST_SUPPLEMENT.value).order_by(Event.id.desc()).limit(1)
    ).first()  # fmt: skip
    wanted = set(last.payload.get("params", {}).get("documents", [])) if last else set()
    return [d for d in dossier.procedure.documents if d.code in wanted]


def answer_supplement(ctx: ServiceContext, code: str, *, note: str | None = None,
                      uploads: Mapping[str, Upload] | None = None, reuse: Mapping[str, Any] | None = None,
                      expected_version: int | None = None) -> Dossier:  # fmt: skip
    """The applicant sends what the supplement request asked for: one file (or a data-store document) for
    each requested document, all at once, in one transaction with the «Nộp bổ sung» event."""
    hook = _supplement_documents(dict(uploads or {}), dict(reuse or {}), declared=False)
    return perform(ctx, code, Action.SUBMIT_SUPPLEMENT, {"note": note}, expected_version=expected_version, hook=hook)


def _supplement_documents(uploads: dict[str, Upload], reuse: dict[str, Any], *, declared: bool) -> Hook:
    """The hook that attaches the requested documents. ``declared``: the applicant says they sent them (a
    simulated applicant, a scenario, the JSON API, which carries no files): one row per requested document,
    with no file and not digitised, so the desk sees what it still has to check and scan."""

    def attach(ctx: ServiceContext, dossier: Dossier, outcome: Outcome) -> dict[str, Any]:
        wanted = requested_documents(ctx, dossier)
        if stray := sorted((set(uploads) | set(reuse)) - {d.code for d in wanted}):
            raise InvalidInput(f"Giấy tờ {', '.join(stray)} không nằm trong yêu cầu bổ sung.", field="documents")
        if not declared and (missing := [d for d in wanted if d.code not in uploads and not reuse.get(d.code)]):
            raise InvalidInput(f"Vui lòng nộp bổ sung «{shorten(missing[0].name, 80)}»: yêu cầu bổ sung phải được "
                               "đáp ứng một lần, đầy đủ.", field=f"tep_{missing[0].code}")  # fmt: skip
        now, sent = ctx.now(), []
        for d in wanted:
            name = digest = size = None
            reused = False
            if d.code in uploads:
                stored = files.store(ctx, uploads[d.code], field=f"tep_{d.code}")
                name, digest, size = stored.file_name, stored.sha256, stored.size
            elif reuse.get(d.code):
                again = files.reusable_document(ctx, dossier.citizen_id or 0, reuse[d.code], field=f"tep_{d.code}")
                name, digest, size, reused = again.file_name, again.sha256, again.size, True
            ctx.session.add(DossierDocument(
                workspace_id=ctx.workspace_id, dossier_id=dossier.id, kind="supplement", doc_code=d.code,
                name=d.name, copy_type=CopyType.ELECTRONIC if digest else d.copy_type, digitized=digest is not None,
                reused=reused, file_name=name, sha256=digest, size=size, added_at=now,
            ))  # fmt: skip
            sent.append(d.code)
        return {"supplement_documents": sent, "declared": declared}

    return attach


def declared_supplement(ctx: ServiceContext, dossier: Dossier, outcome: Outcome) -> dict[str, Any]:
    """Hook of ``submit_supplement`` outside the portal (API, simulated applicant, scenarios)."""
    return _supplement_documents({}, {}, declared=True)(ctx, dossier, outcome)


def rate(ctx: ServiceContext, code: str, *, level: Any, comment: Any = None) -> Rating:
    """The applicant's satisfaction vote on a finished dossier: once, logged, never changed afterwards."""
    if ctx.actor.role is not Role.CITIZEN:
        raise Forbidden("Chỉ người nộp hồ sơ được đánh giá mức độ hài lòng.")
    chosen = Satisfaction.parse(level) if isinstance(level, str) else None
    if not isinstance(chosen, Satisfaction):
        raise InvalidInput("Vui lòng chọn mức độ hài lòng: " + ", ".join(s.label for s in Satisfaction) + ".",
                           field="level")  # fmt: skip
    if comment is not None and (not isinstance(comment, str) or len(comment) > 500 or not is_clean_text(comment)):
        raise InvalidInput("Góp ý tối đa 500 ký tự.", field="comment")
    with ctx.transaction() as session:
        dossier = get_dossier(ctx, code, for_update=True)
        check_jurisdiction(ctx, dossier)
        if dossier.state not in lifecycle.FINAL_STATES:
            raise TransitionRefused("Chỉ đánh giá được khi hồ sơ đã giải quyết xong (đã trả kết quả, từ chối, rút "
                                    "hoặc dừng).", code="not_finished")  # fmt: skip
        if session.scalars(select(Rating).where(Rating.workspace_id == ctx.workspace_id,
                                                Rating.dossier_id == dossier.id)).first():  # fmt: skip
            raise Conflict(
                f"Bạn đã đánh giá hồ sơ {dossier.code}; mỗi hồ sơ được đánh giá một lần.", code="already_rated"
            )
        now, text = ctx.now(), (comment or "").strip() or None
        rating = Rating(workspace_id=ctx.workspace_id, dossier_id=dossier.id, level=chosen.value, comment=text,
                        rated_at=now)  # fmt: skip
        session.add(rating)
        record_activity(ctx, dossier, Activity.RATE, {"level": chosen.value, "comment": text}, now)
    return rating


def rating_of(ctx: ServiceContext, dossier: Dossier) -> Rating | None:
    return ctx.session.scalars(select(Rating).where(Rating.workspace_id == ctx.workspace_id,
                                                    Rating.dossier_id == dossier.id)).first()  # fmt: skip
