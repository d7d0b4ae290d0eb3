"""What the portal knows of the signed-in applicant, read from the registries (never typed by them)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sandbox.domain.errors import Forbidden, NotFound
from sandbox.domain.vocabulary import Role
from sandbox.integrations.faults import IntegrationUnavailable
from sandbox.services.context import ServiceContext
from sandbox.store.models import Business, Citizen


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
