"""Who may do what in the volunteers app. Reading is decided by the selectors' scoping;
these predicates decide the actions on an object the user already sees."""

from relais.users.enums import Role
from relais.users.scopes import get_reach, organisation_academie_ids

SCHOOL_ROLES = (Role.TEACHER, Role.HEAD_OF_SCHOOL)


def manages_academie(user, academie_id) -> bool:
    """The académie team of that académie, or a national administrator."""
    reach = get_reach(user)
    return reach.national or academie_id in reach.managed_academie_ids


def represents(user, organisation_id) -> bool:
    """A representative of that organisation (or of one of its parents)."""
    return organisation_id in get_reach(user).organisation_ids


def is_team(user) -> bool:
    reach = get_reach(user)
    return reach.national or bool(reach.managed_academie_ids)


def is_system(user, obj=None) -> bool:
    """Transitions that Relais fires itself (scheduled jobs), never a person."""
    return user is None


# --- CEE and CET -------------------------------------------------------------------------------


def can_propose_advisor(user) -> bool:
    """Professional organisations propose (Article 3); the académie team may enter a proposal
    on their behalf."""
    reach = get_reach(user)
    return is_team(user) or (reach.has_role(Role.ORGANISATION_REP) and bool(reach.organisation_ids))


def organisation_covers(organisation, academie_id) -> bool:
    """An organisation proposes advisers only in the académies of its territory, the one
    its representatives reach (users.scopes): its académie, the académies of its région
    académique, anywhere for a national organisation."""
    territory = organisation_academie_ids(organisation)
    return territory is None or academie_id in territory


def can_vet_advisor(user, advisor) -> bool:
    """Designation, refusal and end of mandate belong to the recteur: the académie team."""
    return manages_academie(user, advisor.academie_id)


def can_act_for_organisation(user, advisor) -> bool:
    """Withdraw a proposal, confirm that the employer is informed: the organisation, or the
    académie team on its behalf."""
    return represents(user, advisor.organisation_id) or manages_academie(user, advisor.academie_id)


def can_record_intervention(user, advisor) -> bool:
    return advisor.is_appointed and can_act_for_organisation(user, advisor)


def can_send_nominative_list(user, academie_id) -> bool:
    return manages_academie(user, academie_id)


# --- Réserve citoyenne ------------------------------------------------------------------------


def can_vet_application(user, application) -> bool:
    return manages_academie(user, application.academie_id)


def can_search_reserve(user) -> bool:
    reach = get_reach(user)
    return is_team(user) or reach.has_role(*SCHOOL_ROLES)


def school_of(user):
    """The établissement a teacher or head of school works in (the first one), or None."""
    from relais.establishments.models import Establishment

    reach = get_reach(user)
    if not reach.has_role(*SCHOOL_ROLES) or not reach.establishment_ids:
        return None
    return (
        Establishment.objects.select_related("commune")
        .filter(pk__in=reach.establishment_ids)
        .order_by("pk")
        .first()
    )


def works_in(user, establishment_id) -> bool:
    reach = get_reach(user)
    return reach.has_role(*SCHOOL_ROLES) and establishment_id in reach.establishment_ids


def is_reservist_of(user, request) -> bool:
    return bool(user and user.is_authenticated) and request.reservist.user_id == user.pk


def can_follow_request(user, request) -> bool:
    """The school side of a request: who sent it, their school's staff, or the team."""
    return (
        request.requested_by_id == user.pk
        or works_in(user, request.establishment_id)
        or manages_academie(user, request.reservist.academie_id)
    )


def can_record_request_done(user, request) -> bool:
    """The intervention took place: the school side or the reservist records it."""
    return can_follow_request(user, request) or is_reservist_of(user, request)


# --- Immersions and the 56-hour course ---------------------------------------------------------


def can_offer_immersion(user) -> bool:
    reach = get_reach(user)
    return is_team(user) or (reach.has_role(Role.ORGANISATION_REP) and bool(reach.organisation_ids))


def can_edit_offer(user, offer) -> bool:
    return represents(user, offer.organisation_id) or manages_academie(user, offer.academie_id)


def can_apply_immersion(user, offer) -> bool:
    reach = get_reach(user)
    return reach.has_role(*SCHOOL_ROLES) and offer.academie_id in reach.directory_academie_ids


# The joint validation of an application to an immersion: the académie team of the offer's
# académie and a representative of the company each validate once (both are needed).
ACADEMIE_SIDE, COMPANY_SIDE = "academie", "entreprise"


def immersion_sides(user, application) -> set[str]:
    """The sides of the joint validation ``user`` speaks for."""
    offer = application.offer
    sides = set()
    if manages_academie(user, offer.academie_id):
        sides.add(ACADEMIE_SIDE)
    if represents(user, offer.organisation_id):
        sides.add(COMPANY_SIDE)
    return sides


def missing_approvals(application) -> set[str]:
    missing = set()
    if application.academie_approved_at is None:
        missing.add(ACADEMIE_SIDE)
    if application.company_approved_at is None:
        missing.add(COMPANY_SIDE)
    return missing


def approvals_pending_from(user, application) -> set[str]:
    """The validations ``user`` may still give on ``application``."""
    return immersion_sides(user, application) & missing_approvals(application)


def gives_first_approval(user, application) -> bool:
    """``user`` validates for one side; the other side must still validate."""
    pending = approvals_pending_from(user, application)
    return bool(pending) and pending != missing_approvals(application)


def gives_last_approval(user, application) -> bool:
    """``user``'s validation completes the joint validation."""
    pending = approvals_pending_from(user, application)
    return bool(pending) and pending == missing_approvals(application)


def can_decide_immersion(user, application) -> bool:
    """Refuse an application: the académie team or the company."""
    return bool(immersion_sides(user, application))


def is_applicant(user, application) -> bool:
    return user is not None and application.applicant_id == user.pk


def can_manage_course(user, course) -> bool:
    return manages_academie(user, course.academie_id)
