"""Who may do what in the volunteers app. Reading is decided by the selectors' scoping;
these predicates decide the actions on an object the user already sees."""

from relais.establishments.models import Establishment
from relais.organisations.models import Organisation
from relais.users.enums import Role
from relais.users.scopes import get_reach, organisation_academie_ids
from relais.users.types import AnyUser

from .models import (
    Advisor,
    Course,
    ImmersionApplication,
    ImmersionOffer,
    ReserveApplication,
    ReserveRequest,
)

SCHOOL_ROLES = (Role.TEACHER, Role.HEAD_OF_SCHOOL)


def manages_academie(user: AnyUser, academie_id: int | None) -> bool:
    """The académie team of that académie, or a national administrator."""
    reach = get_reach(user)
    return reach.national or academie_id in reach.managed_academie_ids


def represents(user: AnyUser, organisation_id: int | None) -> bool:
    """A representative of that organisation (or of one of its parents)."""
    return organisation_id in get_reach(user).organisation_ids


def is_team(user: AnyUser) -> bool:
    reach = get_reach(user)
    return reach.national or bool(reach.managed_academie_ids)


def is_system(user: AnyUser | None, obj: object = None) -> bool:
    """Transitions that Relais fires itself (scheduled jobs), never a person."""
    return user is None


# --- CEE and CET -------------------------------------------------------------------------------


def can_propose_advisor(user: AnyUser) -> bool:
    """Professional organisations propose (Article 3); the académie team may enter a proposal
    on their behalf."""
    reach = get_reach(user)
    return is_team(user) or (reach.has_role(Role.ORGANISATION_REP) and bool(reach.organisation_ids))


def organisation_covers(organisation: Organisation, academie_id: int | None) -> bool:
    """An organisation proposes advisers only in the académies of its territory, the one
    its representatives reach (users.scopes): its académie, the académies of its région
    académique, anywhere for a national organisation."""
    territory = organisation_academie_ids(organisation)
    return territory is None or academie_id in territory


def can_vet_advisor(user: AnyUser, advisor: Advisor) -> bool:
    """Designation, refusal and end of mandate belong to the recteur: the académie team."""
    return manages_academie(user, advisor.academie_id)


def can_act_for_organisation(user: AnyUser, advisor: Advisor) -> bool:
    """Withdraw a proposal, confirm that the employer is informed: the organisation, or the
    académie team on its behalf."""
    return represents(user, advisor.organisation_id) or manages_academie(user, advisor.academie_id)


def can_record_intervention(user: AnyUser, advisor: Advisor) -> bool:
    return advisor.is_appointed and can_act_for_organisation(user, advisor)


def can_send_nominative_list(user: AnyUser, academie_id: int | None) -> bool:
    return manages_academie(user, academie_id)


# --- Réserve citoyenne ------------------------------------------------------------------------


def can_vet_application(user: AnyUser, application: ReserveApplication) -> bool:
    return manages_academie(user, application.academie_id)


def can_search_reserve(user: AnyUser) -> bool:
    reach = get_reach(user)
    return is_team(user) or reach.has_role(*SCHOOL_ROLES)


def school_of(user: AnyUser) -> Establishment | None:
    """The établissement a teacher or head of school works in (the first one), or None."""
    reach = get_reach(user)
    if not reach.has_role(*SCHOOL_ROLES) or not reach.establishment_ids:
        return None
    return (
        Establishment.objects.select_related("commune")
        .filter(pk__in=reach.establishment_ids)
        .order_by("pk")
        .first()
    )


def works_in(user: AnyUser, establishment_id: int | None) -> bool:
    reach = get_reach(user)
    return reach.has_role(*SCHOOL_ROLES) and establishment_id in reach.establishment_ids


def is_reservist_of(user: AnyUser | None, request: ReserveRequest) -> bool:
    return user is not None and user.is_authenticated and request.reservist.user_id == user.pk


def can_follow_request(user: AnyUser, request: ReserveRequest) -> bool:
    """The school side of a request: who sent it, their school's staff, or the team."""
    return (
        request.requested_by_id == user.pk
        or works_in(user, request.establishment_id)
        or manages_academie(user, request.reservist.academie_id)
    )


def can_record_request_done(user: AnyUser, request: ReserveRequest) -> bool:
    """The intervention took place: the school side or the reservist records it."""
    return can_follow_request(user, request) or is_reservist_of(user, request)


# --- Immersions and the 56-hour course ---------------------------------------------------------


def can_offer_immersion(user: AnyUser) -> bool:
    reach = get_reach(user)
    return is_team(user) or (reach.has_role(Role.ORGANISATION_REP) and bool(reach.organisation_ids))


def can_edit_offer(user: AnyUser, offer: ImmersionOffer) -> bool:
    return represents(user, offer.organisation_id) or manages_academie(user, offer.academie_id)


def can_apply_immersion(user: AnyUser, offer: ImmersionOffer) -> bool:
    reach = get_reach(user)
    return reach.has_role(*SCHOOL_ROLES) and offer.academie_id in reach.directory_academie_ids


# The joint validation of an application to an immersion: the académie team of the offer's
# académie and a representative of the company each validate once (both are needed).
ACADEMIE_SIDE, COMPANY_SIDE = "academie", "entreprise"


def immersion_sides(user: AnyUser, application: ImmersionApplication) -> set[str]:
    """The sides of the joint validation ``user`` speaks for."""
    offer = application.offer
    sides: set[str] = set()
    if manages_academie(user, offer.academie_id):
        sides.add(ACADEMIE_SIDE)
    if represents(user, offer.organisation_id):
        sides.add(COMPANY_SIDE)
    return sides


def missing_approvals(application: ImmersionApplication) -> set[str]:
    missing: set[str] = set()
    if application.academie_approved_at is None:
        missing.add(ACADEMIE_SIDE)
    if application.company_approved_at is None:
        missing.add(COMPANY_SIDE)
    return missing


def approvals_pending_from(user: AnyUser, application: ImmersionApplication) -> set[str]:
    """The validations ``user`` may still give on ``application``."""
    return immersion_sides(user, application) & missing_approvals(application)


def gives_first_approval(user: AnyUser, application: ImmersionApplication) -> bool:
    """``user`` validates for one side; the other side must still validate."""
    pending = approvals_pending_from(user, application)
    return bool(pending) and pending != missing_approvals(application)


def gives_last_approval(user: AnyUser, application: ImmersionApplication) -> bool:
    """``user``'s validation completes the joint validation."""
    pending = approvals_pending_from(user, application)
    return bool(pending) and pending == missing_approvals(application)


def can_decide_immersion(user: AnyUser, application: ImmersionApplication) -> bool:
    """Refuse an application: the académie team or the company."""
    return bool(immersion_sides(user, application))


def is_applicant(user: AnyUser | None, application: ImmersionApplication) -> bool:
    return user is not None and application.applicant_id == user.pk


def can_manage_course(user: AnyUser, course: Course) -> bool:
    return manages_academie(user, course.academie_id)
