"""The demo's placement scene (issue 12, item 8), loaded by ``demo.py``: the engine at work.

- the internship week is the first one at least three weeks ahead with no school holiday of
  the académie's zone nor public holiday (``holidays``), so the demo never sits on Christmas;
- the offers are near the demo collège (its nearest communes), not 45 to 200 km away;
- a scarce week: a popular family (sales in shops, D15) has 6 places a few kilometres from
  the collège, another (early childhood care, J13) 8 places a little farther;
- a neighbouring collège outside priority education refers 6 pupils first, wishing D15 then
  J13; the demo collège (REP+, priority pupils) refers 10 pupils later, 6 of whom wish D15
  only. « Premier arrivé, premier servi » gives D15 to the first referred and leaves those 6
  priority pupils without a place (10 placed, a 60-point gap); the engine places 14, as
  close to parity as the places allow, and explains the 2 it cannot place with the advice
  of where more places would place them;
- a pôle de filière (santé et social, ROME J and K) sits in the bassin and brings a J13 offer
  of a neighbouring bassin into the runs (Mesure 1: a pôle per bassin or per sector);
- two runs: the second after a shop withdrew one of its places, so that the page shows the
  changes since the previous run (one: the pupil whose place is gone; the gap stays closed).
"""

from __future__ import annotations

import datetime
from typing import Any

import numpy as np

from relais.establishments.models import Establishment
from relais.matching.geo import haversine_km
from relais.nomenclatures.models import RomeCode
from relais.organisations.models import Organisation
from relais.pupils.services import pupil_create
from relais.territories.models import Academie, Bassin, Commune
from relais.users.enums import Role
from relais.users.models import Membership, User

from . import services
from .enums import OPEN_OFFER_STATES
from .holidays import week_warnings, zone_of
from .models import InternshipOffer, OfferSlot, PlacementCase, PlacementHub
from .services.matching import run_create

SCARCE, PLENTY = "D1507", "J1304"  # ROME: libre-service; aide en puériculture (family J13)
NEIGHBOUR_NAMES = ["Emma", "Gabriel", "Jules", "Alice", "Raphaël", "Manon"]
STAFF = "secretariat.college-voisin@demo.relais.example"


def demo_week(academie: Academie, today: datetime.date) -> datetime.date:
    """The first Monday at least 21 days ahead whose week and the next are school days in
    the académie's zone (no school holiday, no public holiday)."""
    day = today + datetime.timedelta(days=21)
    monday = day - datetime.timedelta(days=day.weekday())
    zone = zone_of(academie)
    for _ in range(20):
        if not week_warnings(monday, zone) and not week_warnings(
            monday + datetime.timedelta(weeks=1), zone
        ):
            return monday
        monday += datetime.timedelta(weeks=1)
    return monday


def _distances(lat: float, lon: float, rows: list[Any]) -> np.ndarray:
    return haversine_km(
        np.full(len(rows), lat),
        np.full(len(rows), lon),
        np.array([r.latitude for r in rows], dtype=float),
        np.array([r.longitude for r in rows], dtype=float),
    )


def near_communes(school: Establishment, count: int = 8, within_km: float = 9.0) -> list[Commune]:
    """The communes nearest the school (its own first), within ``within_km``."""
    lat, lon = school.latitude, school.longitude
    if lat is None or lon is None:
        return []
    box = within_km / 80  # degrees, generous at these latitudes
    rows = list(
        Commune.objects.filter(
            latitude__range=(lat - box, lat + box), longitude__range=(lon - box, lon + box)
        ).order_by("insee_code")
    )
    if not rows:
        return []
    km = _distances(lat, lon, rows)
    order = [i for i in np.argsort(km, kind="stable").tolist() if km[i] <= within_km]
    return [rows[i] for i in order[:count]]


def _neighbour_school(school: Establishment, bassin: Bassin) -> Establishment | None:
    """The nearest collège of the bassin outside priority education."""
    rows = list(
        Establishment.objects.filter(
            bassin=bassin, kind="college", priority_education="", latitude__isnull=False
        )
        .exclude(pk=school.pk)
        .order_by("uai")
    )
    if not rows or school.latitude is None or school.longitude is None:
        return None
    km = _distances(school.latitude, school.longitude, rows)
    return rows[int(np.argmin(km))]


def _by_neighbour(school: Establishment, bassin: Bassin, near: list[Commune]) -> list[Commune]:
    """The communes near the demo collège, nearest the neighbouring collège first: the
    scarce offers go to the first ones, so that « first come, first served » gives them to
    the neighbour's pupils, referred first, who could have gone to the farther ones."""
    neighbour = _neighbour_school(school, bassin)
    if neighbour is None or neighbour.latitude is None or neighbour.longitude is None:
        return near
    km = _distances(neighbour.latitude, neighbour.longitude, near)
    return [near[i] for i in np.argsort(km, kind="stable").tolist() if km[i] <= 14]


def _staff(school: Establishment) -> User:
    """The neighbouring collège's secretariat, author of its demo records (no password)."""
    user, created = User.objects.get_or_create(
        email=STAFF, defaults={"first_name": "Secrétariat", "last_name": "Collège voisin"}
    )
    if created:
        user.set_unusable_password()
        user.save()
    Membership.objects.get_or_create(user=user, role=Role.TEACHER, establishment=school)
    return user


def academie_team(bassin: Bassin) -> User | None:
    """A demo account of the bassin's académie team (it posts offers in any bassin)."""
    return (
        User.objects.filter(
            memberships__role=Role.ACADEMIE_TEAM,
            memberships__academie=bassin.academie,
            email__endswith="@demo.relais.example",
        )
        .order_by("pk")
        .first()
    )


def _hosts(academie: Academie, trades: tuple[str, ...], count: int) -> list[Organisation]:
    """Demo companies of the académie whose trade fits the offer, others after them."""
    companies = list(Organisation.objects.filter(is_demo=True, academie=academie).order_by("siret"))
    fitting = [c for c in companies if c.name.startswith(trades)]
    return (fitting + [c for c in companies if c not in fitting])[:count]


def _rome(code: str) -> RomeCode | None:
    return (
        RomeCode.objects.filter(code=code).first()
        or RomeCode.objects.filter(code__startswith=code[:3]).first()
    )


def _offer(member: User, host: Organisation, bassin: Bassin, rome: RomeCode, commune: Commune,
           title: str, places: dict[datetime.date, int]) -> InternshipOffer:  # fmt: skip
    offer = services.offer_create(
        user=member,
        data={
            "host": host,
            "bassin": bassin,
            "title": title,
            "description": "Offre fictive de la démonstration de Relais.",
            "kind": "stage_3e",
            "rome": rome,
            "levels": ["3e"],
            "commune": commune,
            "accessible": True,
            "tutor_name": "Tuteur de démonstration",
            "tutor_email": "tuteur.scene@entreprise-demo.example",
        },
        slots=places,
    )
    return services.offer_publish(user=member, offer=offer, note="Démonstration")


def _free(bassin: Bassin, family: str, week: datetime.date, *, academie_wide: bool) -> int:
    """Free places of the open offers of ``family`` that week (the bassin's, or the
    académie's for a family a pôle de filière brings)."""
    slots = OfferSlot.objects.filter(
        week=week, offer__state__in=OPEN_OFFER_STATES, offer__rome__code__startswith=family
    )
    if academie_wide:
        slots = slots.filter(offer__bassin__academie_id=bassin.academie_id)
    else:
        slots = slots.filter(offer__bassin=bassin)
    return sum(slot.free for slot in slots)


def _split(total: int, shares: tuple[int, int]) -> tuple[int, int]:
    """``total`` places (at least one each) in the proportion of ``shares``."""
    first = max(1, round(total * shares[0] / sum(shares)))
    return first, max(1, total - first)


def offers(
    *,
    bassin: Bassin,
    school: Establishment,
    member: User,
    referent: User | None,
    academie_team: User | None,
    week: datetime.date,
) -> list[InternshipOffer]:
    """The scene's offers near the collège, and the pôle de filière that brings one of them
    from a neighbouring bassin (posted by the académie team, who reaches every bassin)."""
    near = _by_neighbour(school, bassin, near_communes(school))
    scarce, plenty = _rome(SCARCE), _rome(PLENTY)
    shops = _hosts(bassin.academie, ("Charcuterie", "Boulangerie"), 2)
    nurseries = _hosts(bassin.academie, ("Crèche", "Cabinet infirmier"), 2)
    hosts = shops + nurseries
    if len(near) < 3 or scarce is None or plenty is None or len(hosts) < 4:
        return []
    other = Bassin.objects.filter(academie=bassin.academie).exclude(pk=bassin.pk).order_by("code")
    other_bassin = (other.first() if academie_team is not None else None) or bassin
    if referent is not None:
        services.hub_create_sector(
            user=referent,
            bassin=bassin,
            data={
                "name": "Pôle de stages de la filière santé et social",
                "sectors": ["J", "K"],
                "email": "pole.sante@demo.relais.example",
            },
        )
    # 6 places of the scarce family and 8 of the other in all, counting the free places
    # other demo offers of these families still have that week.
    shop, shop2 = _split(6 - _free(bassin, SCARCE[:3], week, academie_wide=False), (4, 2))
    care, care2 = _split(8 - _free(bassin, PLENTY[:3], week, academie_wide=True), (5, 3))
    return [
        _offer(member, hosts[0], bassin, scarce, near[0], "Vente et mise en rayon", {week: shop}),
        _offer(member, hosts[1], bassin, scarce, near[1], "Vente en boutique", {week: shop2}),
        _offer(
            member,
            hosts[2],
            bassin,
            plenty,
            near[-1],
            "Aide auprès des jeunes enfants",
            {week: care},
        ),  # fmt: skip
        _offer(
            academie_team or member,
            hosts[3],
            other_bassin,
            plenty,
            near[-2],
            "Accueil et soins d'hygiène",
            {week: care2},
        ),
    ]


def neighbours_refer(
    *, bassin: Bassin, school: Establishment, week, year: int, year_label: str
) -> list[PlacementCase]:
    """Six pupils of the neighbouring collège, referred first, wishing D15 then J13."""
    neighbour = _neighbour_school(school, bassin)
    if neighbour is None:
        return []
    staff = _staff(neighbour)
    period = services.period_create(
        user=staff,
        establishment=neighbour,
        data={
            "school_year": year_label,
            "level": "3e",
            "class_label": "3e D",
            "start": week,
            "end": week + datetime.timedelta(days=4),
            "duration_weeks": 1,
            "pupil_count": 6,
        },
    )
    cases = []
    for index, name in enumerate(NEIGHBOUR_NAMES):
        pupil = pupil_create(
            user=staff,
            establishment=neighbour,
            data={
                "first_name": name,
                "last_name": f"Démo V{index + 1}",
                "class_label": "3e D",
                "level": "3e",
                "school_year": year,
            },
        )
        case = services.case_open(
            user=staff,
            pupil=pupil,
            data={"period": period, "wishes": [SCARCE[:3], PLENTY[:3]], "max_km": 15},
        )
        services.case_move(user=staff, case=case, step="aider")
        cases.append(services.case_move(user=staff, case=case, step="orienter", note="Démo"))
    return cases


def priority_wishes(*, cases: list[tuple[PlacementCase, str]], teacher: User) -> None:
    """The demo collège's pupils who will be referred: 6 wish D15 only, 4 D15 then J13."""
    waiting = [case for case, step in cases if step == "referred"]
    for index, case in enumerate(waiting):
        wishes = [SCARCE[:3]] if index < 6 else [SCARCE[:3], PLENTY[:3]]
        services.case_update(user=teacher, case=case, data={"wishes": wishes, "max_km": 10})


def runs(*, hub: PlacementHub, member: User, week, withdrawn: InternshipOffer | None) -> str:
    """A first run, a company withdrawing one place, and the run that follows."""
    window = {"window_start": week, "window_end": week + datetime.timedelta(days=6)}
    first = run_create(user=member, hub=hub, **window)
    if withdrawn is not None:
        slot = withdrawn.slots.get(week=week)
        services.offer_set_slots(user=member, offer=withdrawn, slots={week: slot.capacity - 1})
    second = run_create(user=member, hub=hub, **window)
    return (
        f"deux calculs de placement ({first.stats.get('placed', 0)} puis "
        f"{second.stats.get('placed', 0)} placé(s) sur {second.pupils} ; premier arrivé, "
        f"premier servi : {first.greedy_stats.get('placed', 0)})"
    )
