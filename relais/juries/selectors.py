"""Reads of the juries app, scoped to the user (``users.scopes``):

- national administrator: every session;
- académie team: the sessions of its académies, with every juror;
- organisation representative: the sessions of the académies of its territory, and the
  jurors its organisations named (plus how many seats are taken);
- bassin référent, pôle member, head of school, teacher: the sessions of their académie
  (without the jurors' names);
- a réserviste with no other role: nothing.

The « jurys » commitments of the conventions (``commitment_report``) are counted as the
jurors who sat, named by an organisation of the convention's network (its economic and
other parties, and their member organisations three levels down).
"""

from __future__ import annotations

from datetime import date
from typing import TypedDict

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from relais.agreements.enums import AgreementState, CommitmentCategory, PartySide
from relais.agreements.models import Agreement, Commitment
from relais.agreements.selectors import agreements_visible_to
from relais.core.school_years import school_year_bounds
from relais.organisations.models import Organisation
from relais.users.enums import Role
from relais.users.scopes import Reach, get_reach
from relais.users.types import AnyUser

from .enums import SEATED_STATES, JurorState
from .models import ExamSession, Juror


def _academies(reach: Reach) -> frozenset[int]:
    return reach.managed_academie_ids | reach.academie_ids | reach.directory_academie_ids


def sessions_visible_to(*, user: AnyUser) -> QuerySet[ExamSession]:
    """See the module docstring."""
    reach = get_reach(user)
    if reach.national:
        return ExamSession.objects.all()
    if reach.is_empty or reach.roles == frozenset({Role.VOLUNTEER}):
        return ExamSession.objects.none()
    if reach.all_establishments:  # a national organisation's representative
        return ExamSession.objects.all()
    return ExamSession.objects.filter(academie_id__in=_academies(reach))


def session_list(*, user: AnyUser, upcoming_from: date | None = None) -> QuerySet[ExamSession]:
    """The visible sessions with their académie and centre, and their seats taken; from
    ``upcoming_from`` on when given."""
    queryset = sessions_visible_to(user=user).select_related("academie", "establishment")
    if upcoming_from is not None:
        queryset = queryset.filter(date__gte=upcoming_from)
    return queryset.annotate(
        seated=Count("jurors", filter=Q(jurors__state__in=SEATED_STATES))
    ).order_by("date", "starts_at", "pk")


def session_get(*, user: AnyUser, pk: int) -> ExamSession:
    """One visible session (ExamSession.DoesNotExist otherwise), with its seats taken."""
    return session_list(user=user).get(pk=pk)


def jurors_visible_to(*, user: AnyUser) -> QuerySet[Juror]:
    """The team sees every juror of its sessions; a representative those its organisations
    named; nobody else sees names."""
    reach = get_reach(user)
    queryset = Juror.objects.select_related("session", "organisation", "advisor")
    if reach.national:
        return queryset
    return queryset.filter(
        Q(session__academie_id__in=reach.managed_academie_ids)
        | Q(organisation_id__in=reach.organisation_ids)
    )


def session_jurors(*, user: AnyUser, session: ExamSession) -> QuerySet[Juror]:
    return jurors_visible_to(user=user).filter(session=session).order_by("full_name", "pk")


def naming_organisations(*, user: AnyUser) -> QuerySet[Organisation]:
    """The organisations a representative names jurors for: those of their memberships (not
    the thousand members below them)."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    ids = user.memberships.filter(role=Role.ORGANISATION_REP).values("organisation_id")
    return Organisation.objects.filter(pk__in=ids).order_by("name")


class CommitmentLine(TypedDict):
    """One convention of ``commitment_report``."""

    agreement: Agreement
    committed: int
    named: int
    attended: int
    missing: int


def network_of(agreement_ids: list[int]) -> dict[int, set[int]]:
    """Per convention: its economic and other parties' organisations and their members three
    levels down."""
    roots: dict[int, set[int]] = {pk: set() for pk in agreement_ids}
    for agreement_id, organisation_id in (
        Agreement.objects.filter(pk__in=agreement_ids, parties__organisation__isnull=False)
        .filter(parties__side__in=[PartySide.ECONOMIC, PartySide.OTHER])
        .values_list("pk", "parties__organisation_id")
    ):
        roots[agreement_id].add(organisation_id)
    everyone = set().union(*roots.values()) if roots else set()
    children: dict[int, set[int]] = {}
    for pk, parent, grand, great in Organisation.objects.filter(
        Q(parent_id__in=everyone)
        | Q(parent__parent_id__in=everyone)
        | Q(parent__parent__parent_id__in=everyone)
    ).values_list("pk", "parent_id", "parent__parent_id", "parent__parent__parent_id"):
        for ancestor in (parent, grand, great):
            if ancestor is not None:
                children.setdefault(ancestor, set()).add(pk)
    return {
        pk: ids | set().union(*(children.get(i, set()) for i in ids)) for pk, ids in roots.items()
    }


def commitment_report(*, user: AnyUser, school_year: int) -> list[CommitmentLine]:
    """For each convention in force the user may read with a « jurys » commitment (its own
    and those of its avenants in force): the jurors committed, named and who sat during
    ``school_year``, named by its network."""
    agreements = list(
        agreements_visible_to(user)
        .filter(state=AgreementState.IN_FORCE, commitments__category=CommitmentCategory.JURIES)
        .distinct()
        .order_by("number")
    )
    ids = [agreement.pk for agreement in agreements]
    committed = {
        row["convention"]: row["total"]
        for row in Commitment.objects.filter(category=CommitmentCategory.JURIES)
        .filter(
            Q(agreement_id__in=ids)
            | Q(agreement__amends_id__in=ids, agreement__state=AgreementState.IN_FORCE)
        )
        .annotate(convention=Coalesce("agreement__amends_id", "agreement_id"))
        .values("convention")
        .annotate(total=Coalesce(Sum("quantity"), 0))
        .order_by()
    }
    networks = network_of(ids)
    start, end = school_year_bounds(school_year)
    rows = list(
        Juror.objects.filter(
            session__date__gte=start,
            session__date__lte=end,
            organisation_id__in=set().union(*networks.values()) if networks else set(),
            state__in=SEATED_STATES,
        ).values_list("organisation_id", "state")
    )
    report: list[CommitmentLine] = []
    for agreement in agreements:
        network = networks.get(agreement.pk, set())
        named = sum(1 for org, _state in rows if org in network)
        attended = sum(1 for org, state in rows if org in network and state == JurorState.ATTENDED)
        total = committed.get(agreement.pk) or 0
        report.append(
            {
                "agreement": agreement,
                "committed": total,
                "named": named,
                "attended": attended,
                "missing": max(total - attended, 0),
            }
        )
    return report


def attended_count(*, organisation_ids: set[int], start: date, end: date) -> int:
    """Jurors who sat between ``start`` and ``end``, named by these organisations (the
    national partners' page counts a network's « jurys » commitment with it)."""
    return Juror.objects.filter(
        organisation_id__in=organisation_ids,
        state=JurorState.ATTENDED,
        session__date__gte=start,
        session__date__lte=end,
    ).count()
