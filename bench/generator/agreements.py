"""Conventions and avenants, built in memory along their lifecycle (the services' rules),
then written in dependency order by ``rows.AgreementRows``."""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from pathlib import Path

from .agreement_rows import AgreementRows
from .common import (
    ARTICLE_HEADINGS,
    FIRST_NAMES,
    LAST_NAMES,
    LEGAL_BASIS,
    TARGET,
    Context,
    aware,
    log,
)

# --- conventions and avenants ----------------------------------------------------------------


def reserve_ids(model, count: int) -> list[int]:
    """Primary keys taken from the table's own sequence (rows that point at each other, such
    as avenants and the conventions they amend, can then go in the same batch)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [model._meta.db_table, count],
        )
        return [row[0] for row in cursor.fetchall()]


def seed_paragraphs() -> list[str]:
    """Paragraphs of the real conventions of data/seeds/, used as article bodies."""
    from django.conf import settings

    paragraphs = []
    for path in sorted((Path(settings.DATA_DIR) / "seeds").glob("*convention*.txt")):
        for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
            text = re.sub(r"\s+", " ", block).strip()
            if 200 <= len(text) <= 1500:
                paragraphs.append(text)
    return paragraphs


class AgreementFactory(AgreementRows):
    """Builds conventions and avenants in memory (with their parties, signatories, articles,
    commitments, version, journal), then writes everything in dependency order."""

    def __init__(self, ctx: Context):
        from relais.agreements.models import Agreement
        from relais.establishments.models import Establishment
        from relais.organisations.enums import OrganisationKind
        from relais.organisations.models import Organisation

        self.ctx, self.rng = ctx, ctx.rng
        self.ids = iter(reserve_ids(Agreement, int(TARGET["agreements"] * 1.4)))
        self.schools = list(
            Establishment.objects.filter(
                academie=ctx.academie, kind__in=["college", "lycee"], bassin__isnull=False
            ).select_related("bassin")
        )
        self.demo_schools = [s for s in self.schools if s.bassin_id == ctx.demo_bassin.pk]
        self.companies = list(
            Organisation.objects.filter(
                academie=ctx.academie, kind=OrganisationKind.COMPANY, archived_at__isnull=True
            ).only("pk", "name", "acronym", "address", "postal_code")
        )
        self.professionals = list(
            Organisation.objects.filter(
                kind=OrganisationKind.PROFESSIONAL, academic_region=ctx.academie.region
            ).order_by("pk")
        )
        self.paragraphs = seed_paragraphs()
        self.agreements, self.parties, self.signatories = [], [], []
        self.articles, self.commitments, self.versions = [], [], []
        self.journal = []  # (agreement, transition, from, to, at, note, data or callable)
        self.parts = {}  # agreement → its parties, signatories, articles (for text & snapshot)
        self.framework_in_force = []

    # -- helpers

    def person(self) -> str:
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"

    def terms(self, kind: str) -> dict:
        from relais.agreements import deadlines
        from relais.agreements.enums import AgreementKind

        rng = self.rng
        if kind == AgreementKind.CEE:
            return {
                "duration_months": 36,
                "tacit_renewal": False,
                "max_renewals": None,
                "notice_months": 0,
                "termination_months": 6,
            }
        tacit = rng.random() < 0.5
        fields = {
            "duration_months": rng.choice([12, 24, 36, 36, 36, 48, 60]),
            "tacit_renewal": tacit,
            "max_renewals": rng.choice([None, 1, 2, 3]) if tacit else None,
            "notice_months": rng.choice([0, 1, 2, 3]) if tacit else 0,
            "termination_months": rng.choice([0, 1, 2, 3]),
        }
        try:
            deadlines.Terms(start=datetime.date(2000, 1, 1), **fields)
        except ValueError:
            fields.update(notice_months=0, termination_months=0)
        return fields

    def territory(self, scope: str) -> dict:
        from relais.agreements.enums import AgreementScope

        ctx, rng = self.ctx, self.rng
        if scope == AgreementScope.ACADEMIC_REGION:
            return {"academic_region": ctx.academie.region}
        if scope == AgreementScope.ACADEMIE:
            return {"academie": ctx.academie, "academic_region": ctx.academie.region}
        if scope == AgreementScope.BASSIN:
            bassin = ctx.demo_bassin if rng.random() < 0.1 else rng.choice(ctx.bassins)
            return {"academie": ctx.academie, "bassin": bassin}
        draw = rng.random()
        school = (
            ctx.demo_school
            if draw < 0.005
            else rng.choice(self.demo_schools if draw < 0.1 else self.schools)
        )
        return {"academie": ctx.academie, "bassin": school.bassin, "establishment": school}

    # -- one convention

    def convention(self, index: int, *, supersedes=None):
        from relais.agreements.enums import AgreementKind, AgreementScope, AgreementState
        from relais.agreements.models import Agreement

        rng = self.rng
        if supersedes is not None:
            scope, kind = supersedes.scope, supersedes.kind
        else:
            share = index / TARGET["agreements"]
            if share < 0.05:
                scope = AgreementScope.ACADEMIC_REGION
            elif share < 0.2:
                scope = AgreementScope.ACADEMIE
            elif share < 0.45:
                scope = AgreementScope.BASSIN
            else:
                scope = AgreementScope.ESTABLISHMENT
            if scope in (AgreementScope.ACADEMIE, AgreementScope.ACADEMIC_REGION):
                kind = AgreementKind.CEE if rng.random() < 0.35 else AgreementKind.FRAMEWORK
            else:
                kind = AgreementKind.LOCAL if rng.random() < 0.85 else AgreementKind.FRAMEWORK
        territory = (
            {
                f: getattr(supersedes, f)
                for f in ("academic_region", "academie", "bassin", "establishment")
            }
            if supersedes is not None
            else self.territory(scope)
        )
        agreement = Agreement(
            pk=next(self.ids),
            kind=kind,
            scope=scope,
            legal_basis=LEGAL_BASIS,
            preamble=rng.choice(self.paragraphs),
            created_by=self.ctx.daet,
            dispute_clause="Les parties recherchent d'abord une solution amiable.",
            competent_court="tribunal administratif de Montpellier",
            open_to_new_signatories=rng.random() < 0.2,
            supersedes=supersedes,
            **territory,
            **self.terms(kind),
        )
        if kind == AgreementKind.LOCAL and self.framework_in_force and rng.random() < 0.3:
            agreement.parent = rng.choice(self.framework_in_force)
        partners = self.add_parties(agreement)
        agreement.title = self.title(agreement, partners[0])
        self.add_articles(agreement, count=rng.randint(3, 8))
        self.add_commitments(agreement)
        state = (
            "signed"
            if supersedes is not None
            else rng.choices(["draft", "in_signature", "abandoned", "signed"], [12, 8, 4, 76])[0]
        )
        if state == "signed":
            self.sign(agreement, signed_on=self.signature_day(supersedes))
            in_force = agreement.state == AgreementState.IN_FORCE
            if in_force and scope == AgreementScope.ACADEMIE and kind == AgreementKind.FRAMEWORK:
                self.framework_in_force.append(agreement)
        else:
            self.unsigned(agreement, state)
        self.agreements.append(agreement)
        return agreement

    def signature_day(self, supersedes) -> datetime.date:
        today = self.ctx.today
        if supersedes is not None:
            return supersedes.ended_on + datetime.timedelta(days=1)
        return today - datetime.timedelta(days=self.rng.randrange(1, 7 * 365))

    def title(self, agreement, partner) -> str:
        from relais.agreements.enums import AgreementKind, AgreementScope

        if agreement.kind == AgreementKind.CEE:
            return f"Convention conseillers entreprises pour l'école — Montpellier — {partner.name}"
        where = {
            AgreementScope.ACADEMIC_REGION: "Région académique Occitanie",
            AgreementScope.ACADEMIE: "Académie de Montpellier",
            AgreementScope.BASSIN: str(agreement.bassin),
        }.get(agreement.scope) or agreement.establishment.name.title()
        label = "Convention-cadre" if agreement.kind == AgreementKind.FRAMEWORK else "Convention"
        return f"{label} de partenariat — {where} — {partner.name}"[:255]

    def add_parties(self, agreement) -> list:
        from relais.agreements.enums import AgreementScope, PartySide
        from relais.agreements.models import Party, Signatory

        rng = self.rng
        if agreement.scope == AgreementScope.ESTABLISHMENT:
            school = agreement.establishment
            education = (school.name.title(), "le chef d'établissement", "Principal")
        elif agreement.scope == AgreementScope.ACADEMIC_REGION:
            education = (
                "Région académique Occitanie",
                "la rectrice de région académique",
                "Rectrice de région académique",
            )
        else:
            education = (
                "Académie de Montpellier",
                "le recteur de l'académie de Montpellier",
                "Recteur d'académie",
            )
        count = rng.choice([1, 1, 1, 2, 2, 3])
        if agreement.scope in (AgreementScope.ACADEMIE, AgreementScope.ACADEMIC_REGION):
            partners = rng.sample(self.professionals, min(count, len(self.professionals)))
        else:
            partners = rng.sample(self.companies, count)
        parties, signatories = [], []
        party = Party(
            agreement=agreement,
            order=1,
            name=education[0],
            side=PartySide.EDUCATION,
            represented_by=education[1],
        )
        parties.append(party)
        signatories.append(
            Signatory(
                agreement=agreement,
                party=party,
                order=1,
                full_name=self.person(),
                title=education[2],
            )
        )
        for order, org in enumerate(partners, start=2):
            party = Party(
                agreement=agreement,
                order=order,
                organisation=org,
                name=org.name,
                short_name=org.acronym,
                side=PartySide.ECONOMIC,
                represented_by="son représentant légal",
                address=org.address,
            )
            parties.append(party)
            signatories.append(
                Signatory(
                    agreement=agreement,
                    party=party,
                    order=order,
                    full_name=self.person(),
                    title=rng.choice(
                        ["Gérant", "Gérante", "Président", "Présidente", "Directeur général"]
                    ),
                )
            )
        self.parts[agreement.pk] = {
            "parties": parties,
            "signatories": signatories,
            "articles": [],
            "commitments": [],
        }
        self.parties += parties
        self.signatories += signatories
        return partners

    def add_articles(self, agreement, *, count: int, numbers=None) -> None:
        from relais.agreements.models import Article

        headings = self.rng.sample(ARTICLE_HEADINGS, count)
        numbers = numbers or [f"Article {i}" for i in range(1, count + 1)]
        for order, (number, heading) in enumerate(zip(numbers, headings, strict=False), start=1):
            article = Article(
                agreement=agreement,
                order=order,
                number=number,
                heading=heading,
                body=self.rng.choice(self.paragraphs),
            )
            self.parts[agreement.pk]["articles"].append(article)
            self.articles.append(article)

    def add_commitments(self, agreement) -> None:
        from relais.agreements.enums import CommitmentCategory, PartySide
        from relais.agreements.models import Commitment

        rng = self.rng
        for party in self.parts[agreement.pk]["parties"]:
            if party.side != PartySide.ECONOMIC:
                continue
            for _ in range(rng.choice([0, 1, 1, 2])):
                category = rng.choice(list(CommitmentCategory))
                commitment = Commitment(
                    agreement=agreement,
                    party=party,
                    category=category,
                    description=category.label,
                    quantity=rng.randint(1, 20),
                    unit=rng.choice(["élèves", "conseillers", "interventions"]),
                    article_number="Article 1",
                )
                self.parts[agreement.pk]["commitments"].append(commitment)
                self.commitments.append(commitment)

    # -- lifecycle

    def log(self, agreement, transition, before, after, at, note="", data=None):
        self.journal.append((agreement, transition, before, after, at, note, data))

    def unsigned(self, agreement, state: str) -> None:
        from relais.agreements.enums import AgreementState, Transition

        rng, today = self.rng, self.ctx.today
        created = today - datetime.timedelta(days=rng.randrange(3, 200))
        agreement.created_at = aware(created, rng)
        agreement.state = AgreementState.DRAFT
        if state == "abandoned":
            at = aware(created + datetime.timedelta(days=rng.randrange(1, 3)), rng)
            agreement.state = AgreementState.ABANDONED
            self.log(
                agreement,
                Transition.ABANDON,
                AgreementState.DRAFT,
                agreement.state,
                at,
                "Le partenaire ne donne pas suite.",
            )
        elif state == "in_signature":
            sent = created + datetime.timedelta(days=rng.randrange(1, 3))
            self.send(agreement, sent)
            signatories = self.parts[agreement.pk]["signatories"]
            for signatory in signatories[: rng.randrange(len(signatories))]:
                day = sent + datetime.timedelta(days=rng.randrange(0, (today - sent).days + 1))
                self.record_signature(agreement, signatory, day)
        agreement.updated_at = agreement.created_at

    def send(self, agreement, day: datetime.date) -> None:
        from relais.agreements.enums import AgreementState, Transition
        from relais.agreements.models import AgreementVersion

        at = aware(day, self.rng)
        self.versions.append(
            AgreementVersion(
                agreement=agreement, number=1, content=None, created_at=at, created_by=self.ctx.daet
            )
        )
        agreement.state = AgreementState.IN_SIGNATURE
        self.log(
            agreement,
            Transition.SEND_FOR_SIGNATURE,
            AgreementState.DRAFT,
            AgreementState.IN_SIGNATURE,
            at,
            "",
            {"version": 1},
        )

    def record_signature(self, agreement, signatory, day: datetime.date) -> None:
        from relais.agreements.enums import AgreementState, SignatureMode, Transition

        signatory.signed_on = day
        signatory.mode = self.rng.choice([SignatureMode.PAPER, SignatureMode.ELECTRONIC])
        signatory.recorded_by = self.ctx.daet
        self.log(
            agreement,
            Transition.SIGN,
            AgreementState.IN_SIGNATURE,
            AgreementState.IN_SIGNATURE,
            aware(day, self.rng),
            f"{signatory.full_name} ({signatory.party.name})",
            lambda s=signatory: {
                "signatory": s.pk,
                "signed_on": s.signed_on.isoformat(),
                "mode": s.mode,
            },
        )

    def sign(self, agreement, *, signed_on: datetime.date) -> None:
        """Send, collect every signature (the last on ``signed_on``), enter into force, then
        end as the dates say: expired, terminated or still in force."""
        from relais.agreements.enums import AgreementState, Transition

        rng = self.rng
        created = signed_on - datetime.timedelta(days=rng.randrange(20, 150))
        sent = created + datetime.timedelta(days=rng.randrange(5, 15))
        agreement.created_at = aware(created, rng)
        self.send(agreement, sent)
        signatories = self.parts[agreement.pk]["signatories"]
        for position, signatory in enumerate(signatories, start=1):
            span = (signed_on - sent).days
            last = position == len(signatories)
            self.record_signature(
                agreement,
                signatory,
                signed_on if last else sent + datetime.timedelta(days=rng.randrange(span + 1)),
            )
        agreement.signed_on = signed_on
        if agreement.supersedes is None and rng.random() < 0.15:
            first_of_next = (signed_on.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
            agreement.effective_date = first_of_next
        agreement.start_date = agreement.effective_date or signed_on
        agreement.state = AgreementState.IN_FORCE
        self.log(
            agreement,
            Transition.ENTER_INTO_FORCE,
            AgreementState.IN_SIGNATURE,
            AgreementState.IN_FORCE,
            aware(signed_on, rng),
            f"Prend effet le {agreement.start_date:%d/%m/%Y}.",
            {"start_date": agreement.start_date.isoformat()},
        )
        self.end_by_dates(agreement)
        agreement.updated_at = aware(
            min(self.ctx.today, signed_on + datetime.timedelta(days=3)), rng
        )

    def end_by_dates(self, agreement) -> None:
        from relais.agreements import deadlines
        from relais.agreements.consolidation import terms_of
        from relais.agreements.enums import AgreementState, Transition

        rng, today = self.rng, self.ctx.today
        terms = terms_of(agreement, self.clauses(agreement))
        status = deadlines.status_on(terms, on=today)
        if status == deadlines.Status.EXPIRED:
            agreement.ended_on = deadlines.expiry_date(terms)
            agreement.state = AgreementState.EXPIRED
            self.log(
                agreement,
                Transition.EXPIRE,
                AgreementState.IN_FORCE,
                agreement.state,
                aware(min(today, agreement.ended_on + datetime.timedelta(days=1)), rng),
                f"Fin le {agreement.ended_on:%d/%m/%Y}.",
            )
            return
        start = agreement.start_date
        if rng.random() < 0.07 and start < today - datetime.timedelta(days=30):
            notice = start + datetime.timedelta(days=rng.randrange(1, (today - start).days))
            try:
                last_day = deadlines.termination_effective_date(terms, notice_received_on=notice)
            except ValueError:
                return
            agreement.notice_received_on, agreement.terminated_on = notice, last_day
            agreement.termination_reason = "Cessation d'activité du partenaire."
            agreement.state = AgreementState.TERMINATED
            self.log(
                agreement,
                Transition.TERMINATE,
                AgreementState.IN_FORCE,
                agreement.state,
                aware(notice, rng),
                agreement.termination_reason,
                {"notice_received_on": notice.isoformat(), "last_day": last_day.isoformat()},
            )
            if last_day < today:
                agreement.ended_on = deadlines.expiry_date(
                    terms_of(agreement, self.clauses(agreement))
                )

    def supersede(self, agreement) -> None:
        """End ``agreement`` (in force) and return its successor, in force the day after."""
        from relais.agreements.enums import AgreementState, Transition

        today = self.ctx.today
        agreement.ended_on = today - datetime.timedelta(days=self.rng.randrange(1, 120))
        if agreement.ended_on < agreement.start_date:
            agreement.ended_on = agreement.start_date
        successor = self.convention(0, supersedes=agreement)
        agreement.state = AgreementState.SUPERSEDED
        self.log(
            agreement,
            Transition.SUPERSEDE,
            AgreementState.IN_FORCE,
            agreement.state,
            aware(successor.signed_on, self.rng),
            f"Remplacée par {self.number(successor)}.",
        )

    # -- avenants

    def avenant(self, agreement, count: int):
        from relais.agreements.enums import AgreementKind, AgreementState
        from relais.agreements.models import Agreement, Party, Signatory

        rng, today = self.rng, self.ctx.today
        end = min(today, agreement.ended_on or today, agreement.terminated_on or today)
        first = agreement.start_date + datetime.timedelta(days=30)
        if end <= first + datetime.timedelta(days=30):
            return None
        avenant = Agreement(
            pk=next(self.ids),
            kind=AgreementKind.AVENANT,
            scope=agreement.scope,
            academic_region=agreement.academic_region,
            academie=agreement.academie,
            bassin=agreement.bassin,
            establishment=agreement.establishment,
            amends=agreement,
            title=f"Avenant n° {count} — {agreement.title}"[:255],
            created_by=self.ctx.daet,
        )
        parts = {"parties": [], "signatories": [], "articles": [], "commitments": []}
        self.parts[avenant.pk] = parts
        for party in self.parts[agreement.pk]["parties"]:
            copy = Party(
                agreement=avenant,
                order=party.order,
                organisation=party.organisation,
                name=party.name,
                short_name=party.short_name,
                side=party.side,
                represented_by=party.represented_by,
                address=party.address,
            )
            parts["parties"].append(copy)
            parts["signatories"].append(
                Signatory(
                    agreement=avenant,
                    party=copy,
                    order=party.order,
                    full_name=self.person(),
                    title="Signataire",
                )
            )
        self.parties += parts["parties"]
        self.signatories += parts["signatories"]
        existing = [a.number for a in self.parts[agreement.pk]["articles"]]
        numbers = [rng.choice(existing)] if rng.random() < 0.6 else [f"Article {len(existing) + 1}"]
        self.add_articles(avenant, count=1, numbers=numbers)
        ongoing = agreement.state == AgreementState.IN_FORCE
        state = (
            rng.choices(["signed", "draft", "in_signature", "abandoned"], [70, 15, 10, 5])[0]
            if ongoing
            else "signed"
        )
        if state == "signed" and ongoing and agreement.kind != AgreementKind.CEE:
            self.maybe_change_clauses(agreement, avenant)
        if state == "signed":
            signed_on = first + datetime.timedelta(days=rng.randrange((end - first).days - 29))
            self.sign_avenant(avenant, signed_on)
        else:
            self.unsigned(avenant, state)
            if avenant.created_at.date() < agreement.start_date:
                avenant.created_at = avenant.updated_at = aware(agreement.start_date, rng)
        self.agreements.append(avenant)
        return avenant

    def maybe_change_clauses(self, agreement, avenant) -> None:
        """One avenant in three changes a clause, when the convention stays in force with it
        (its state was decided from its own terms)."""
        from relais.agreements import deadlines
        from relais.agreements.consolidation import terms_of

        rng = self.rng
        if rng.random() >= 0.3:
            return
        change = rng.choice(
            [
                {"notice_months": rng.choice([1, 2, 3])},
                {"duration_months": rng.choice([36, 48, 60])},
            ]
        )
        try:
            terms = terms_of(agreement, self.clauses(agreement) | change)
        except ValueError:
            return
        if deadlines.status_on(terms, on=self.ctx.today) == deadlines.Status.IN_FORCE:
            avenant.clause_changes = change

    def sign_avenant(self, avenant, signed_on: datetime.date) -> None:
        from relais.agreements.enums import AgreementState, Transition

        rng = self.rng
        created = signed_on - datetime.timedelta(days=rng.randrange(20, 29))
        avenant.created_at = aware(created, rng)
        self.send(avenant, created + datetime.timedelta(days=5))
        for signatory in self.parts[avenant.pk]["signatories"]:
            self.record_signature(avenant, signatory, signed_on)
        avenant.signed_on = avenant.start_date = signed_on
        avenant.state = AgreementState.IN_FORCE
        self.log(
            avenant,
            Transition.ENTER_INTO_FORCE,
            AgreementState.IN_SIGNATURE,
            AgreementState.IN_FORCE,
            aware(signed_on, rng),
            f"Prend effet le {signed_on:%d/%m/%Y}.",
            {"start_date": signed_on.isoformat()},
        )
        avenant.updated_at = avenant.created_at

    # -- derived values


def generate_agreements(ctx: Context) -> None:
    from relais.agreements.enums import AgreementKind, AgreementState

    factory = AgreementFactory(ctx)
    rng = ctx.rng
    index = 0
    while index < TARGET["agreements"]:
        agreement = factory.convention(index)
        index += 1
        if (
            agreement.state == AgreementState.IN_FORCE
            and rng.random() < 0.03
            and index < TARGET["agreements"]
        ):
            factory.supersede(agreement)
            index += 1
    avenants = 0
    for agreement in list(factory.agreements):
        if agreement.kind == AgreementKind.AVENANT or agreement.start_date is None:
            continue
        if rng.random() < 0.18:
            agreement._bench_avenants = []
            for count in range(1, rng.choice([1, 1, 1, 1, 2]) + 1):
                avenant = factory.avenant(agreement, count)
                if avenant is not None:
                    agreement._bench_avenants.append(avenant)
                    avenants += 1
    factory.finish()
    factory.write()
    states = defaultdict(int)
    for agreement in factory.agreements:
        states[agreement.state] += 1
    log(
        f"   {index} conventions, {avenants} avenants ; états : "
        + ", ".join(f"{k} {v}" for k, v in sorted(states.items()))
    )
