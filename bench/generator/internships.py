"""Pôles de stages: offers with their places per week, internship periods, pupils (on their
school's roster, ``relais.pupils``) and their cases along the path, each with its search data
(period, wishes, distance, home commune, accessibility), with the proposals and placements
their states imply."""

from __future__ import annotations

import datetime
from collections import defaultdict

from .common import (
    BATCH,
    DEMO_BASSIN_EXTRA,
    FIRST_NAMES,
    LAST_NAMES,
    TARGET,
    Context,
    aware,
    bulk,
    explicit_timestamps,
    log,
    monday,
)

# The journals' step names (relais.internships.workflows) of the states the generator walks.
OFFER_STEP = {"published": "publier", "full": "completer", "closed": "fermer", "expired": "expirer"}
CASE_STEP = {
    "helped_by_team": "aider",
    "referred": "orienter",
    "proposal_sent": "proposer",
    "placed": "placer",
    "declined": "decliner",
    "withdrawn": "retirer",
}

# --- pôles de stages: offers, periods, pupils, cases -----------------------------------------


def school_year_weeks(today: datetime.date) -> list[datetime.date]:
    """Mondays of the current school year, September to mid-June, without the two weeks of
    the Christmas holidays."""
    first_year = today.year if today.month >= 8 else today.year - 1
    day, weeks = monday(datetime.date(first_year, 9, 8)), []
    while day <= datetime.date(first_year + 1, 6, 14):
        if not (day.month == 12 and day.day >= 21) and not (day.month == 1 and day.day < 4):
            weeks.append(day)
        day += datetime.timedelta(weeks=1)
    return weeks


class Internships:
    """Offers with their weekly places, then pupils whose periods fall in those weeks, and
    their cases; a proposal or a placement takes a real free place."""

    LEVEL_KIND = {"3e": ("stage_3e", 1), "2nde": ("stage_2nde", 2), "1re_pro": ("pfmp", 4)}

    def __init__(self, ctx: Context):
        from relais.internships.models import PlacementHub
        from relais.nomenclatures.models import RomeCode
        from relais.organisations.enums import OrganisationKind
        from relais.organisations.models import Organisation

        self.ctx, self.rng = ctx, ctx.rng
        weeks = school_year_weeks(ctx.today)
        # Each bassin's 3e internships crowd into a few weeks (Mesure 2 wants to spread them).
        peak = [w for w in weeks if w.month in (12, 1, 2, 3)]
        self.weeks_3e = {b.pk: sorted(self.rng.sample(peak, 4)) for b in ctx.bassins}
        self.weeks_2nde = [w for w in weeks if w.month == 6][-2:-1]  # the June stage de seconde
        self.weeks_pfmp = {b.pk: sorted(self.rng.sample(weeks, 2)) for b in ctx.bassins}
        self.romes = list(RomeCode.objects.order_by("code"))
        companies = Organisation.objects.filter(
            academie=ctx.academie, kind=OrganisationKind.COMPANY, archived_at__isnull=True
        ).select_related("commune")
        self.hosts_of_bassin = defaultdict(list)
        self.hosts = []
        for org in companies:
            self.hosts.append(org)
            bassin_id = ctx.bassin_of_commune.get(org.commune_id)
            if bassin_id:
                self.hosts_of_bassin[bassin_id].append(org)
        self.cpme = Organisation.objects.get(acronym="CPME Occitanie")
        self.hubs = {h.bassin_id: h for h in PlacementHub.objects.filter(bassin__in=ctx.bassins)}
        # (bassin, week, level) → slots of open offers with free places
        self.free = defaultdict(list)

    def offers(self) -> None:
        from relais.internships.enums import OfferState
        from relais.internships.models import InternshipOffer, OfferJournal, OfferSlot

        ctx, rng = self.ctx, self.rng
        offers, slots, journal = [], [], []
        states = [
            OfferState.PUBLISHED,
            OfferState.FULL,
            OfferState.DRAFT,
            OfferState.CLOSED,
            OfferState.EXPIRED,
        ]
        for index in range(TARGET["offers"]):
            in_demo = index < DEMO_BASSIN_EXTRA["offers"]
            bassin = ctx.demo_bassin if in_demo else rng.choice(ctx.bassins)
            host = rng.choice(self.hosts_of_bassin.get(bassin.pk) or self.hosts)
            level = rng.choices(["3e", "2nde", "1re_pro"], [70, 15, 15])[0]
            kind, weeks = self.LEVEL_KIND[level]
            rome = rng.choice(self.romes)
            state = rng.choices(states, [62, 8, 15, 10, 5])[0]
            created = ctx.today - datetime.timedelta(days=rng.randrange(1, 90))
            created_at = aware(created, rng)
            published_at = (
                None
                if state == OfferState.DRAFT
                else created_at + datetime.timedelta(hours=rng.randrange(1, 72))
            )
            pushed = index % 20 == 0
            offer = InternshipOffer(
                host=host,
                posted_by=self.cpme if index % 10 == 0 else None,
                bassin=bassin,
                title=f"Découverte du métier : {rome.label}"[:200],
                description="Offre fictive générée pour les mesures de charge de Relais.",
                kind=kind,
                duration_weeks=weeks if level != "1re_pro" else 4,
                rome=rome,
                naf=host.naf_id and host.naf,
                levels=[level],
                address=host.address,
                commune=host.commune,
                latitude=host.latitude,
                longitude=host.longitude,
                accessible=rng.random() < 0.6,
                tutor_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                tutor_email=f"tuteur{index}@bench-entreprise.example",
                reserved_places=1 if rng.random() < 0.2 else 0,
                state=state,
                partner=self.cpme if pushed else None,
                remote_id=f"cpme-{index}" if pushed else "",
                published_at=published_at,
                created_at=created_at,
                updated_at=created_at,
            )
            offers.append(offer)
            journal.append(
                OfferJournal(
                    offer=offer,
                    transition="creation",
                    from_state="",
                    to_state=OfferState.DRAFT,
                    at=created_at,
                    note="Offre créée",
                )
            )
            if state != OfferState.DRAFT:
                journal.append(
                    OfferJournal(
                        offer=offer,
                        transition="publier",
                        from_state=OfferState.DRAFT,
                        to_state=OfferState.PUBLISHED,
                        at=published_at,
                    )
                )
                if state != OfferState.PUBLISHED:
                    journal.append(
                        OfferJournal(
                            offer=offer,
                            transition=OFFER_STEP[state],
                            from_state=OfferState.PUBLISHED,
                            to_state=state,
                            at=published_at + datetime.timedelta(days=rng.randrange(1, 20)),
                        )
                    )
            for week in self.offer_weeks(bassin, level):
                slot = OfferSlot(offer=offer, week=week, capacity=rng.randint(1, 3))
                slots.append(slot)
                if state in (OfferState.PUBLISHED, OfferState.FULL):
                    self.free[(bassin.pk, week, level)].append(slot)
        bulk(InternshipOffer, offers, "offres de stage")
        bulk(OfferSlot, slots, "places par semaine")
        with explicit_timestamps(OfferJournal):
            bulk(OfferJournal, journal, "journal des offres")
        self.slots = slots
        log(f"   {len(offers)} offres, {len(slots)} semaines de places")

    def offer_weeks(self, bassin, level) -> list[datetime.date]:
        if level == "3e":
            return self.rng.sample(self.weeks_3e[bassin.pk], self.rng.randint(1, 3))
        if level == "2nde":
            return list(self.weeks_2nde)
        return [self.rng.choice(self.weeks_pfmp[bassin.pk])]

    def pupils(self) -> None:
        from relais.establishments.models import Establishment
        from relais.internships.enums import CaseState, ProposalState
        from relais.internships.models import (
            CaseJournal,
            InternshipPeriod,
            Placement,
            PlacementCase,
            Proposal,
        )
        from relais.internships.years import internship_year_label, internship_year_of
        from relais.pupils.models import Pupil
        from relais.pupils.years import retention_until

        ctx, rng = self.ctx, self.rng
        schools = Establishment.objects.filter(
            academie=ctx.academie, bassin__isnull=False, is_open=True
        ).order_by("uai")
        colleges = [s for s in schools if s.kind == "college"]
        lycees_gt = [s for s in schools if s.kind == "lycee" and s.general_track]
        lycees_pro = [s for s in schools if s.kind == "lycee" and s.vocational_track]
        demo_colleges = [s for s in colleges if s.bassin_id == ctx.demo_bassin.pk]
        other_colleges = [s for s in colleges if s.bassin_id != ctx.demo_bassin.pk]
        demo_share = DEMO_BASSIN_EXTRA["pupils"] - DEMO_BASSIN_EXTRA["school_pupils"]
        rest = TARGET["pupils"] - DEMO_BASSIN_EXTRA["pupils"]
        plan = [(ctx.demo_school, "3e")] * DEMO_BASSIN_EXTRA["school_pupils"]
        plan += [(rng.choice(demo_colleges), "3e") for _ in range(demo_share)]
        plan += [(rng.choice(other_colleges), "3e") for _ in range(int(rest * 0.8))]
        plan += [(rng.choice(lycees_gt), "2nde") for _ in range(int(rest * 0.1))]
        plan += [(rng.choice(lycees_pro), "1re_pro") for _ in range(TARGET["pupils"] - len(plan))]
        year = internship_year_label(ctx.today)
        periods = {}
        for school, level in sorted(set(plan), key=lambda p: (p[0].uai, p[1])):
            kind, weeks = self.LEVEL_KIND[level]
            start = (
                self.weeks_3e[school.bassin_id][school.pk % 4]
                if level == "3e"
                else self.weeks_2nde[0]
                if level == "2nde"
                else self.weeks_pfmp[school.bassin_id][school.pk % 2]
            )
            weeks = 4 if level == "1re_pro" else weeks
            periods[(school.pk, level)] = InternshipPeriod(
                establishment=school,
                school_year=year,
                level=level,
                start=start,
                end=start + datetime.timedelta(weeks=weeks - 1, days=4),
                duration_weeks=weeks,
                pupil_count=school.pupil_count // 4 if school.pupil_count else 120,
            )
        bulk(InternshipPeriod, list(periods.values()))
        roster_year = internship_year_of(ctx.today)
        retention = retention_until(roster_year)
        families = sorted({r.code[:3] for r in self.romes})
        now = aware(ctx.today, rng)
        pupils, cases, steps, proposals, placements = [], [], [], [], []
        counts = defaultdict(int)
        steps_of = {
            "searching_alone": [],
            "helped_by_team": ["helped_by_team"],
            "withdrawn": ["helped_by_team", "withdrawn"],
            "referred": ["helped_by_team", "referred"],
            "declined": ["helped_by_team", "referred", "declined"],
            "proposal_sent": ["helped_by_team", "referred", "proposal_sent"],
            "placed": ["helped_by_team", "referred", "proposal_sent", "placed"],
        }
        for index, (school, level) in enumerate(plan):
            period = periods[(school.pk, level)] if rng.random() < 0.92 else None
            created = now - datetime.timedelta(days=rng.randrange(10, 80), hours=rng.randrange(24))
            # Drawn in the order of the generator before the pupils' move (relais.pupils):
            # the same seed gives the same pupils and the same search data.
            first_name, last_name = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            home_commune = rng.choice(ctx.communes) if rng.random() < 0.5 else None
            qpv, disability = rng.random() < 0.1, rng.random() < 0.03
            needs_access, newly_arrived = rng.random() < 0.01, rng.random() < 0.03
            wishes = rng.sample(families, rng.randint(1, 3))
            max_km = rng.choice([5, 10, 15, 20, 30])
            pupil = Pupil(
                establishment=school,
                school_year=roster_year,
                first_name=first_name,
                last_name=last_name,
                class_label=f"{'3e' if level == '3e' else '2nde' if level == '2nde' else '1re'} "
                f"{'ABCDEF'[index % 6]}",
                level=level,
                qpv=qpv,
                disability=disability,
                newly_arrived=newly_arrived,
                retention_until=retention,
                created_at=created,
                updated_at=created,
            )
            search = {
                "period": period,
                "home_commune": home_commune,
                "needs_access": needs_access,
                "wishes": wishes,
                "max_km": max_km,
            }
            pupils.append(pupil)
            target = rng.choices(list(steps_of), [25, 20, 7, 25, 3, 6, 14])[0]
            slot = None
            if target in ("proposal_sent", "placed"):
                slot = self.take_place(school, level, period, placed=target == "placed")
                if slot is None:
                    target = "referred"
            case = PlacementCase(pupil=pupil, opened_at=created, **search)
            by = ctx.teacher if school.pk == ctx.demo_school.pk else None
            by_name = by.get_full_name() if by else ""
            steps.append(
                CaseJournal(
                    case=case,
                    transition="ouvrir",
                    by_name=by_name,
                    from_state="",
                    to_state=CaseState.SEARCHING_ALONE,
                    by=by,
                    at=created,
                    note="Dossier ouvert",
                )
            )
            state, at = CaseState.SEARCHING_ALONE, created
            for next_state in steps_of[target]:
                at = min(now, at + datetime.timedelta(days=rng.randrange(1, 6)))
                steps.append(
                    CaseJournal(
                        case=case,
                        transition=CASE_STEP[next_state],
                        from_state=state,
                        to_state=next_state,
                        by=by,
                        by_name=by_name,
                        at=at,
                    )
                )
                if next_state == CaseState.REFERRED:
                    case.referred_at = at
                    case.hub = self.hubs[school.bassin_id]
                    if school.bassin_id == ctx.demo_bassin.pk and rng.random() < 0.5:
                        case.owner = ctx.hub_member
                state = next_state
            case.state = state
            if state in (CaseState.PLACED, CaseState.DECLINED, CaseState.WITHDRAWN):
                case.closed_at = at
            if state == CaseState.PLACED:
                case.placed_at = at
            case.updated_at = at
            if slot is not None:
                proposal = Proposal(
                    case=case,
                    slot=slot,
                    nonce=f"{rng.getrandbits(128):032x}",
                    sent_by=ctx.hub_member,
                    sent_at=at - datetime.timedelta(hours=2),
                    expires_at=at
                    + datetime.timedelta(days=self.hubs[school.bassin_id].answer_days),
                    state=ProposalState.CONFIRMED
                    if state == CaseState.PLACED
                    else ProposalState.SENT,
                )
                if state == CaseState.PLACED:
                    proposal.answered_at = proposal.confirmed_at = at
                    proposal.answered_by_name = slot.offer.tutor_name
                    proposal.confirmed_by = ctx.teacher
                    offer = slot.offer
                    placements.append(
                        Placement(
                            case=case,
                            proposal=proposal,
                            offer=offer,
                            start=slot.week,
                            end=slot.week
                            + datetime.timedelta(weeks=offer.duration_weeks - 1, days=4),
                            created_at=at,
                        )
                    )
                proposals.append(proposal)
            cases.append(case)
            counts[state] += 1
        bulk(Pupil, pupils, "élèves")
        bulk(PlacementCase, cases, "dossiers")
        with explicit_timestamps(CaseJournal):
            bulk(CaseJournal, steps, "journal des dossiers")
        bulk(Proposal, proposals)
        bulk(Placement, placements)
        from relais.internships.models import OfferSlot

        OfferSlot.objects.bulk_update(
            [s for s in self.slots if s.held or s.taken], ["held", "taken"], batch_size=BATCH
        )
        log(
            f"   {len(pupils)} élèves, {len(periods)} périodes ; dossiers : "
            + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
        )

    def take_place(self, school, level, period, *, placed: bool):
        """A free place of an open offer of the school's bassin in the pupil's first week."""
        if period is None:
            return None
        for slot in self.free.get((school.bassin_id, period.start, level), []):
            if slot.capacity - slot.held - slot.taken > 0:
                if placed:
                    slot.taken += 1
                else:
                    slot.held += 1
                return slot
        return None
