"""« Offres de stage près de chez moi » (issue 11, item 5): a pupil or a family searches the
published offers near a collège (by UAI or name) or a commune, without an account. Nothing
of the search is stored; what is shown of an offer is what its host published (title, kind,
host organisation, commune, weeks with places left), never the tutor's name or e-mail.

The official path (stage de 3e, stage de seconde) starts with the pupil searching alone; the
pôle de stages helps those who found nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import (
    Case,
    F,
    FloatField,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import ASin, Coalesce, Cos, Least, Power, Radians, Sin, Sqrt

from relais.core.clock import today
from relais.core.search import text_search
from relais.establishments.enums import EstablishmentKind
from relais.establishments.models import Establishment
from relais.internships.enums import OfferState
from relais.internships.models import InternshipOffer, OfferSlot
from relais.territories.models import Commune

EARTH_RADIUS_KM = 6371.0088
RADII = (5, 10, 20, 30, 50)
DEFAULT_RADIUS = 10
MAX_RESULTS = 50
MAX_PLACES = 8  # candidates shown when the text names several collèges or communes


@dataclass(frozen=True)
class Place:
    """Where the search starts: a collège or a commune, with its coordinates."""

    key: str  # « college:<UAI> » or « commune:<INSEE> »
    label: str
    latitude: float
    longitude: float


def _college_place(school: Establishment) -> Place | None:
    if school.latitude is None or school.longitude is None:
        return None
    commune = f" ({school.commune.name})" if school.commune is not None else ""
    return Place(f"college:{school.uai}", f"{school.name}{commune}", school.latitude,
                 school.longitude)  # fmt: skip


def _commune_place(commune: Commune) -> Place | None:
    if commune.latitude is None or commune.longitude is None:
        return None
    return Place(f"commune:{commune.insee_code}", str(commune), commune.latitude,
                 commune.longitude)  # fmt: skip


def place_from_key(key: str) -> Place | None:
    """The place a result link names (« college:0301234A », « commune:30189 »)."""
    kind, _sep, code = key.partition(":")
    code = code.strip().upper()
    if kind == "college" and code.isalnum() and len(code) == 8:
        school = Establishment.objects.select_related("commune").filter(uai=code).first()
        return _college_place(school) if school else None
    if kind == "commune" and code.isalnum() and len(code) == 5:
        commune = Commune.objects.filter(insee_code=code).first()
        return _commune_place(commune) if commune else None
    return None


def places_matching(text: str) -> list[Place]:
    """Collèges (by UAI or name) and communes (by name or postal code) matching ``text``."""
    text = text.strip()[:100]
    if not text:
        return []
    colleges = Establishment.objects.filter(
        kind=EstablishmentKind.COLLEGE, is_open=True, latitude__isnull=False
    ).select_related("commune")
    colleges = text_search(colleges, text, exact_fields=("uai",)).order_by("name")[:MAX_PLACES]
    communes = Commune.objects.filter(latitude__isnull=False)
    if text.isdigit():
        communes = communes.filter(Q(postal_code=text) | Q(insee_code=text))
    else:
        communes = text_search(communes, text)
    communes = communes.order_by("name")[:MAX_PLACES]
    found = [_college_place(s) for s in colleges] + [_commune_place(c) for c in communes]
    return [place for place in found if place is not None]


def _distance(latitude: float, longitude: float):
    """Great-circle distance from the place to the offer (its own point, else its commune's)."""
    lat1, lon1 = Radians(Value(latitude)), Radians(Value(longitude))
    lat2 = Radians(Coalesce(F("latitude"), F("commune__latitude")))
    lon2 = Radians(Coalesce(F("longitude"), F("commune__longitude")))
    a = Power(Sin((lat2 - lat1) / 2), 2) + Cos(lat1) * Cos(lat2) * Power(Sin((lon2 - lon1) / 2), 2)
    return Case(
        When(Q(latitude__isnull=True) & Q(commune__latitude__isnull=True), then=Value(None)),
        default=Value(2 * EARTH_RADIUS_KM) * ASin(Least(Sqrt(a), Value(1.0))),
        output_field=FloatField(),
    )


@dataclass
class Found:
    offer: InternshipOffer
    distance: float
    weeks: list = field(default_factory=list)


def offers_near(place: Place, *, radius_km: int = DEFAULT_RADIUS, kind: str = "") -> list[Found]:
    """Published offers with a week still open (from today) within ``radius_km`` of the
    place, nearest first, at most ``MAX_RESULTS``. Three queries."""
    day = today()
    open_slots = OfferSlot.objects.filter(week__gte=day, capacity__gt=F("held") + F("taken"))
    offers: QuerySet[InternshipOffer] = (
        InternshipOffer.objects.filter(state=OfferState.PUBLISHED, slots__in=open_slots)
        .annotate(distance=_distance(place.latitude, place.longitude))
        .filter(distance__lte=radius_km)
        .select_related("host", "commune", "rome")
        .prefetch_related(
            Prefetch("slots", queryset=open_slots.order_by("week"), to_attr="open_slots")
        )
        .distinct()
        .order_by("distance", "pk")
    )
    if kind:
        offers = offers.filter(kind=kind)
    return [
        # ``distance`` and ``open_slots`` are the annotation and the prefetch above.
        Found(offer, round(offer.distance, 1), [s.week for s in offer.open_slots])  # type: ignore[attr-defined]
        for offer in offers[:MAX_RESULTS]
    ]
