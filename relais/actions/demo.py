"""Demo data of the catalogue, loaded by `load_demo` after the partners and the accounts:
offers from the real professional organisations (Occitanie branches) and the demo companies,
and requests from real collèges at every state, with their journal and the actions done.

The demo writes each object once in its final state, with the journal of the steps that led
there: it tells no one (the services would e-mail the demo addresses) and fires nothing."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.db.models import Case, When
from django.utils import timezone

from relais.core.demo import DEMO_ACADEMIES, DEMO_EMAIL_DOMAIN
from relais.core.school_years import school_year_of
from relais.establishments.models import Establishment
from relais.organisations.enums import OrganisationKind
from relais.organisations.models import Organisation
from relais.territories.models import Academie
from relais.users.models import User

from .enums import ActionKind, Level, OfferState, OfferTransition, RequestState, RequestTransition
from .models import ActionRecord, ActionRequest, Offer, OfferJournal, RequestJournal
from .services import offer_search_text

COLLEGE = [Level.SIXIEME, Level.CINQUIEME, Level.QUATRIEME, Level.TROISIEME]
LYCEE = [Level.SECONDE, Level.PREMIERE, Level.TERMINALE]
# (partner acronym, kind, title, levels, capacity)
PARTNER_OFFERS = [
    ("UIMM Occitanie", ActionKind.INDUSTRY_WEEK, "Semaine de l'industrie : portes ouvertes "
     "d'usines", [Level.QUATRIEME, Level.TROISIEME, *LYCEE], 12),
    ("MEDEF Occitanie", ActionKind.SCHOOL_BUSINESS_WEEK, "Semaine école-entreprise : un chef "
     "d'entreprise dans votre classe", COLLEGE, 20),
    ("CCI Occitanie", ActionKind.JOB_FORUM, "Forum des métiers et de l'apprentissage",
     [Level.TROISIEME, *LYCEE], 15),
    ("CRMA Occitanie", ActionKind.TESTIMONY, "Des artisans racontent leur métier",
     [Level.QUATRIEME, Level.TROISIEME, Level.CAP], 10),
    ("CPME Occitanie", ActionKind.MENTORING, "Parrainage de lycéens par des dirigeants de PME",
     LYCEE, 6),
    ("MEDEF Occitanie", ActionKind.GIRLS_STEM, "Ingénieures et techniciennes : des rôles "
     "modèles pour les filles", [Level.QUATRIEME, Level.TROISIEME, Level.SECONDE], 8),
    ("CCI Occitanie", ActionKind.MINI_COMPANY, "Accompagner une mini-entreprise au lycée",
     LYCEE, 4),
    ("UIMM Occitanie", ActionKind.COMPETITION, "Concours « Ma vidéo industrie »",
     [Level.TROISIEME, *LYCEE], 30),
    ("CRMA Occitanie", ActionKind.EXAM_JURY, "Professionnels pour les jurys de CAP",
     [Level.CAP], 5),
]  # fmt: skip
STATES = [RequestState.SENT, RequestState.ACCEPTED, RequestState.DECLINED,
          RequestState.CANCELLED, RequestState.DONE]  # fmt: skip


def _offer(organisation, academie, kind, title, levels, capacity, *, state=OfferState.PUBLISHED,
           radius=None):  # fmt: skip
    today = timezone.localdate()
    offer, created = Offer.objects.get_or_create(
        organisation=organisation,
        title=title,
        academie=academie,
        defaults={
            "kind": kind,
            "levels": [str(level) for level in levels],
            "commune": organisation.commune,
            "latitude": organisation.latitude,
            "longitude": organisation.longitude,
            "radius_km": radius if organisation.latitude is not None else None,
            "starts_on": today - timedelta(days=30),
            "ends_on": today + timedelta(days=200),
            "capacity": capacity,
            "contact_email": organisation.email or f"contact@{DEMO_EMAIL_DOMAIN}",
            "state": state,
            "published_at": timezone.now() if state != OfferState.DRAFT else None,
            "is_demo": True,
            "description": "Offre de démonstration de Relais.",
        },
    )
    if created:
        offer.search_text = offer_search_text(offer)
        offer.save(update_fields=["search_text"])
        steps = [(OfferTransition.CREATE, OfferState.DRAFT)]
        if state != OfferState.DRAFT:
            steps.append((OfferTransition.PUBLISH, state))
        _journal(OfferJournal, steps=steps, offer=offer)
    return offer, created


def _journal(journal, *, steps, **subject):
    """The demo object's journal: (transition, to_state[, by[, note]]) in order."""
    before = ""
    for transition, to_state, *more in steps:
        who = more[0] if more else None
        journal.objects.create(
            **subject, transition=transition, from_state=before, to_state=to_state, by=who,
            by_name=str(who) if who else "", note=more[1] if len(more) > 1 else "",
        )  # fmt: skip
        before = to_state


ANSWERS = {
    RequestState.DECLINED: "Nos ateliers sont fermés à cette période, désolés.",
    RequestState.ACCEPTED: "Avec plaisir : nous vous proposons un mardi matin.",
}


def _request(offer, school, state, index, teacher, partner):
    """A request in ``state``, with the steps that led there."""
    teacher = (
        teacher if teacher and teacher.memberships.filter(establishment=school).exists() else None
    )
    steps = [(RequestTransition.SEND, RequestState.SENT, teacher)]
    answer = RequestState.DECLINED if state == RequestState.DECLINED else RequestState.ACCEPTED
    answered = state not in (RequestState.SENT, RequestState.CANCELLED)
    if state == RequestState.CANCELLED:
        steps.append((RequestTransition.CANCEL, state, teacher, "Sortie reportée à l'an prochain."))
    elif answered:
        steps.append((RequestTransition.DECLINE if answer == RequestState.DECLINED
                      else RequestTransition.ACCEPT, answer, partner, ANSWERS[answer]))  # fmt: skip
    if state == RequestState.DONE:
        steps.append((RequestTransition.COMPLETE, state, teacher))
    request = ActionRequest.objects.create(
        offer=offer, establishment=school, requested_by=teacher, state=state,
        contact_name=teacher.get_full_name() if teacher else "Professeur principal",
        contact_email=teacher.email if teacher else f"prof@{DEMO_EMAIL_DOMAIN}",
        classes=f"3e {'ABCD'[index % 4]}", pupil_count=24 + index % 6,
        wished_dates="Deuxième trimestre", message="Demande de démonstration.",
        answered_at=timezone.now() if answered else None,
        answered_by=partner if answered else None,
        answer_message=ANSWERS[answer] if answered else "",
    )  # fmt: skip
    _journal(RequestJournal, request=request, steps=steps)
    if state == RequestState.DONE:
        done_on = timezone.localdate() - timedelta(days=7 + index)
        ActionRecord.objects.create(
            establishment=school, organisation=offer.organisation, offer=offer, request=request,
            kind=offer.kind, title=offer.title, done_on=done_on,
            school_year=school_year_of(done_on), classes=request.classes,
            pupil_count=request.pupil_count, levels=offer.levels, recorded_by=teacher,
        )  # fmt: skip
    return request


@transaction.atomic
def load() -> str:
    """Create the demo records (idempotent) and return a one-line French summary."""
    academies = {a.code: a for a in Academie.objects.filter(code__in=DEMO_ACADEMIES)}
    if not academies:
        return ""
    created = 0
    offers = []
    for index, (acronym, kind, title, levels, capacity) in enumerate(PARTNER_OFFERS):
        partner = Organisation.objects.filter(acronym=acronym).first()
        if partner is None:
            continue
        academie = academies[DEMO_ACADEMIES[index % len(DEMO_ACADEMIES)]]
        offer, new = _offer(partner, academie, kind, title, levels, capacity)
        created += new
        offers.append(offer)
    companies = _demo_companies(academies)
    for index, company in enumerate(companies):
        kind = ActionKind.COMPANY_VISIT if index % 3 else ActionKind.TESTIMONY
        title = (f"Visite : {company.name}" if kind == ActionKind.COMPANY_VISIT
                 else f"Témoignage en classe — {company.name}")  # fmt: skip
        state = OfferState.DRAFT if index == len(companies) - 1 else OfferState.PUBLISHED
        offer, new = _offer(company, company.academie, kind, title, COLLEGE, 2 + index % 3,
                            state=state, radius=40 + 10 * (index % 3))  # fmt: skip
        created += new
        offers.append(offer)
    requests = _load_requests([o for o in offers if o.state == OfferState.PUBLISHED])
    return (
        f"Catalogue d'actions : {created} offre(s) créée(s) ({Offer.objects.count()} au total), "
        f"{requests} demande(s) de démonstration."
    )


def _demo_companies(academies: dict) -> list:
    """Six demo companies per académie; in the demo teacher's académie, those of the
    school's département first, so that « near my school » finds visits."""
    teacher = User.objects.filter(email=f"enseignant@{DEMO_EMAIL_DOMAIN}").first()
    membership = (
        teacher.memberships.filter(establishment__isnull=False).first() if teacher else None
    )
    school = membership.establishment if membership else None
    picked: list[Organisation] = []
    for code in DEMO_ACADEMIES:
        if code not in academies:
            continue
        queryset = Organisation.objects.filter(
            kind=OrganisationKind.COMPANY, is_demo=True, academie=academies[code]
        )
        if school is not None and school.academie_id == academies[code].pk:
            queryset = queryset.annotate(
                here=Case(When(commune__departement_id=school.departement_id, then=0), default=1)
            ).order_by("here", "siret")
        else:
            queryset = queryset.order_by("siret")
        picked.extend(queryset[:6])
    return picked


def _load_requests(offers) -> int:
    if ActionRequest.objects.filter(offer__is_demo=True).exists() or not offers:
        return 0
    teacher = User.objects.filter(email=f"enseignant@{DEMO_EMAIL_DOMAIN}").first()
    membership = (
        teacher.memberships.filter(establishment__isnull=False).first() if teacher else None
    )
    principal_school = membership.establishment if membership else None
    partner = User.objects.filter(email=f"cpme.occitanie@{DEMO_EMAIL_DOMAIN}").first()
    count = 0
    colleges_by_academie: dict[int, list] = {}
    for index, offer in enumerate(offers):
        colleges = colleges_by_academie.setdefault(
            offer.academie_id,
            list(Establishment.objects.filter(academie=offer.academie, kind="college")
                 .order_by("uai")[:200]),
        )  # fmt: skip
        if not colleges:
            continue
        schools = list(dict.fromkeys(colleges[(index * 2 + k) % len(colleges)] for k in range(2)))
        if principal_school is not None and principal_school.academie_id == offer.academie_id:
            schools = list(dict.fromkeys([principal_school, *schools]))[:2]
        for offset, school in enumerate(schools):
            state = STATES[(index + offset) % len(STATES)]
            by_partner = partner if offer.organisation.acronym == "CPME Occitanie" else None
            _request(offer, school, state, index + offset, teacher, by_partner)
            count += 1
    return count
