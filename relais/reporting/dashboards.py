"""Figures of the home dashboard, one panel per membership (académie, bassin, school…).

Each panel costs a fixed number of grouped queries, whatever the size of the territory.
"""

from django.db.models import Count, Q

from relais.establishments.enums import EstablishmentKind, PriorityEducation
from relais.establishments.models import Establishment
from relais.organisations.enums import OrganisationKind
from relais.organisations.models import Organisation
from relais.territories.models import Academie, Bassin
from relais.users.enums import ScopeKind

SECONDARY = [EstablishmentKind.COLLEGE, EstablishmentKind.LYCEE, EstablishmentKind.EREA]


def _establishment_counts() -> dict:
    return {
        "total": Count("pk"),
        "colleges": Count("pk", filter=Q(kind=EstablishmentKind.COLLEGE)),
        "lycees": Count("pk", filter=Q(kind=EstablishmentKind.LYCEE)),
        "vocational": Count("pk", filter=Q(vocational_track=True)),
        # Éducation prioritaire: collèges and lycées only (the écoles are counted apart).
        "rep": Count("pk", filter=Q(priority_education=PriorityEducation.REP, kind__in=SECONDARY)),
        "rep_plus": Count(
            "pk", filter=Q(priority_education=PriorityEducation.REP_PLUS, kind__in=SECONDARY)
        ),
    }


def national_panel() -> dict:
    """One line per académie that has établissements in Relais."""
    rows = (
        Academie.objects.annotate(
            establishment_count=Count("establishments", distinct=True),
            colleges=Count(
                "establishments",
                filter=Q(establishments__kind=EstablishmentKind.COLLEGE),
                distinct=True,
            ),
            priority=Count(
                "establishments",
                filter=~Q(establishments__priority_education="")
                & Q(establishments__kind__in=SECONDARY),
                distinct=True,
            ),
        )
        .filter(establishment_count__gt=0)
        .order_by("name")
    )
    partners = Organisation.objects.filter(archived_at__isnull=True).aggregate(
        total=Count("pk"),
        professional=Count("pk", filter=Q(kind=OrganisationKind.PROFESSIONAL)),
        companies=Count("pk", filter=Q(kind=OrganisationKind.COMPANY)),
    )
    return {"kind": ScopeKind.NATIONAL, "academies": list(rows), "partners": partners}


def academie_panel(academie: Academie) -> dict:
    establishments = Establishment.objects.filter(academie=academie)
    counts = establishments.aggregate(**_establishment_counts())
    secondary = establishments.filter(kind__in=SECONDARY)
    quality = secondary.aggregate(
        without_bassin=Count("pk", filter=Q(bassin__isnull=True)),
        without_coordinates=Count("pk", filter=Q(latitude__isnull=True)),
    )
    bassins = (
        Bassin.objects.filter(academie=academie)
        .annotate(
            colleges=Count("establishments", filter=Q(establishments__kind="college")),
            lycees=Count("establishments", filter=Q(establishments__kind="lycee")),
            priority=Count(
                "establishments",
                filter=~Q(establishments__priority_education="")
                & Q(establishments__kind__in=SECONDARY),
            ),
        )
        .order_by("name")
    )
    partners = Organisation.objects.filter(academie=academie, archived_at__isnull=True).aggregate(
        total=Count("pk"),
        companies=Count("pk", filter=Q(kind=OrganisationKind.COMPANY)),
        professional=Count("pk", filter=Q(kind=OrganisationKind.PROFESSIONAL)),
    )
    return {
        "kind": ScopeKind.ACADEMIE,
        "academie": academie,
        "counts": counts,
        "quality": quality,
        "bassins": list(bassins),
        "partners": partners,
    }


def bassin_panel(bassin: Bassin) -> dict:
    establishments = Establishment.objects.filter(bassin=bassin)
    counts = establishments.aggregate(**_establishment_counts())
    schools = (
        establishments.filter(kind__in=SECONDARY).select_related("commune").order_by("kind", "name")
    )
    return {"kind": ScopeKind.BASSIN, "bassin": bassin, "counts": counts, "schools": list(schools)}


def establishment_panel(establishment: Establishment) -> dict:
    return {"kind": ScopeKind.ESTABLISHMENT, "establishment": establishment}


def organisation_panel(organisation: Organisation) -> dict:
    children = organisation.children.filter(archived_at__isnull=True).count()
    return {"kind": ScopeKind.ORGANISATION, "organisation": organisation, "children": children}


def dashboard_panels(user) -> list[dict]:
    """One panel per membership of the user, in a stable order."""
    memberships = user.memberships.select_related(
        "academie__region",
        "bassin__academie",
        "establishment__commune",
        "establishment__bassin",
        "organisation__commune",
    ).order_by("role", "pk")
    panels = []
    for membership in memberships:
        kind = membership.scope_kind
        if kind == ScopeKind.NATIONAL:
            panel = national_panel()
        elif kind == ScopeKind.ACADEMIE:
            panel = academie_panel(membership.academie)
        elif kind == ScopeKind.BASSIN:
            panel = bassin_panel(membership.bassin)
        elif kind == ScopeKind.ESTABLISHMENT:
            panel = establishment_panel(membership.establishment)
        else:
            panel = organisation_panel(membership.organisation)
        panel["membership"] = membership
        panels.append(panel)
    return panels
