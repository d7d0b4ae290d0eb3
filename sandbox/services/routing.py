"""Where a new dossier goes: its procedure from the catalogue, the agency competent to decide it (NĐ 118/2025),
the centre that receives it, and its code (TT 01/2018 or the 2026 synchronisation format)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from sandbox.domain import identifiers
from sandbox.domain.errors import InvalidInput, NotFound
from sandbox.domain.vocabulary import CompetentLevel
from sandbox.services import counters
from sandbox.services.context import ServiceContext
from sandbox.store.catalogue import ProcedureCard, forget, procedure_card_by_code
from sandbox.store.models import Agency, Commune, Procedure

DOSSIER_CODE_FORMATS = {"tt01_2018": identifiers.TT01_2018, "sync_2026": identifiers.SYNC_2026}


def check_procedure_code(ctx: ServiceContext, code: Any) -> ProcedureCard:
    """The catalogue's card of procedure ``code`` (no query), or why the code is wrong."""
    if not isinstance(code, str) or not identifiers.is_valid_procedure_code(code.strip()):
        raise InvalidInput(f"Mã thủ tục «{code}» không đúng định dạng d.dddddd.", field="procedure_code")
    card = procedure_card_by_code(ctx.session, code.strip())
    if card is None:
        raise NotFound(f"Không tìm thấy thủ tục hành chính có mã {code}.")
    return card


def get_procedure(ctx: ServiceContext, code: str) -> Procedure:
    card = check_procedure_code(ctx, code)
    procedure = ctx.session.get(Procedure, card.id)
    if procedure is None or procedure.code != card.code:  # the world was reseeded under this process
        forget(ctx.session)
        procedure = ctx.session.scalars(select(Procedure).where(Procedure.code == card.code)).first()
    if procedure is None:
        raise NotFound(f"Không tìm thấy thủ tục hành chính có mã {code}.")
    return procedure


def next_dossier_code(ctx: ServiceContext, agency_code: str, day: date, fmt: str = "tt01_2018") -> str:
    """Take the next daily sequence number for ``agency_code`` (inside the caller's transaction)."""
    seq = counters.next_value(ctx.session, workspace_id=ctx.workspace_id, scope=agency_code, day=day)
    return identifiers.format_dossier_code(agency_code, day, seq, DOSSIER_CODE_FORMATS.get(fmt, identifiers.TT01_2018))


def deciding_agency_for(ctx: ServiceContext, procedure: Procedure, commune_code: str) -> Agency:
    """Route by competence (NĐ 118/2025): the Sở of the sector, or the commune's People's Committee."""
    if not isinstance(commune_code, str) or len(commune_code) > 5:
        raise InvalidInput("«commune_code» phải là mã xã/phường gồm 5 chữ số.", field="commune_code")
    commune = ctx.session.get(Commune, commune_code)
    if commune is None:
        raise InvalidInput(f"Mã xã/phường «{commune_code}» không tồn tại.", field="commune_code")
    stmt = select(Agency)
    if procedure.level is CompetentLevel.PROVINCE:
        stmt = stmt.where(
            Agency.kind == "so", Agency.province_code == commune.province_code, Agency.sector_id == procedure.sector_id
        )
    else:
        stmt = stmt.where(Agency.kind == "ubnd_xa", Agency.commune_code == commune_code)
    agency = ctx.session.scalars(stmt).first()
    if agency is None:
        raise NotFound("Không tìm thấy cơ quan có thẩm quyền giải quyết thủ tục này tại địa bàn đã chọn.")
    return agency


def receiving_centre_for(ctx: ServiceContext, deciding: Agency) -> Agency:
    """The public-service centre that receives for ``deciding`` (provincial or commune centre)."""
    if deciding.level is CompetentLevel.PROVINCE:
        stmt = select(Agency).where(Agency.kind == "ttpvhcc_tinh", Agency.province_code == deciding.province_code)
    else:
        stmt = select(Agency).where(Agency.kind == "ttpvhcc_xa", Agency.commune_code == deciding.commune_code)
    centre = ctx.session.scalars(stmt).first()
    if centre is None:
        raise NotFound("Không tìm thấy Trung tâm Phục vụ hành chính công tiếp nhận hồ sơ tại địa bàn đã chọn.")
    return centre
