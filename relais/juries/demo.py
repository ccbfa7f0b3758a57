"""Demo of the juries (issue 15, item 7), loaded after the conventions and the conseillers:
the demo CEE convention of Montpellier gains its « jurys » commitment (model CEE convention,
art. 2: « participation aux jurys d'examens des diplômes professionnels »); two sessions to
come in lycées professionnels of the académie, where its signatory has named a CEE and a
professional (one convoked), and a session of last June where two of them sat. Idempotent:
found by diploma and date before being created."""

from __future__ import annotations

import datetime
from datetime import time

from django.db import transaction
from django.utils import timezone

from relais.agreements.enums import AgreementKind, AgreementState, CommitmentCategory
from relais.agreements.models import Agreement, Commitment
from relais.core.demo import DEMO_EMAIL_DOMAIN
from relais.establishments.models import Establishment
from relais.territories.models import Academie
from relais.users.models import User
from relais.volunteers.enums import AdvisorKind, AdvisorState
from relais.volunteers.models import Advisor

from .enums import JurorState
from .models import ExamSession, Juror
from .workflows import JUROR_WORKFLOW

# (diploma, specialty, days from today (None: last 20 June), seats)
SESSIONS = [
    ("CAP Boulanger", "Épreuve pratique EP1", 24, 3),
    ("Bac pro Métiers de l'électricité et de ses environnements connectés", "Soutenance", 38, 2),
    ("CAP Maçon", "Épreuve pratique", None, 2),
]
PROFESSIONALS = [
    ("Claire Fabre (démo)", "claire.fabre", "Fournil des Garrigues (démo)", "Boulangère"),
    ("Yannick Roche (démo)", "yannick.roche", "Roche Bâtiment (démo)", "Chef de chantier"),
]


def _day(offset: int | None, today: datetime.date) -> datetime.date:
    if offset is not None:
        return today + datetime.timedelta(days=offset)
    june = datetime.date(today.year, 6, 20)
    return june if june < today else datetime.date(today.year - 1, 6, 20)


def _walk(juror: Juror, team: User, steps: list[tuple[str, str]]) -> None:
    """The juror's journal as the workflow would have written it, step by step (the demo
    tells no one: no convocation e-mail)."""
    JUROR_WORKFLOW.log_creation(juror, user=team, note=f"Désigné par {juror.organisation}")
    for name, target in steps:
        before, juror.state = juror.state, target
        if target == JurorState.CONVOKED:
            juror.convoked_at = timezone.now()
        juror.save()
        JUROR_WORKFLOW.write_journal(juror, transition=name, from_state=before, user=team)


def _commitment(agreement: Agreement) -> None:
    party = agreement.parties.filter(organisation__isnull=False).order_by("order").first()
    if party is None or agreement.commitments.filter(category=CommitmentCategory.JURIES):
        return
    Commitment.objects.create(
        agreement=agreement, party=party, category=CommitmentCategory.JURIES, quantity=6,
        description="Désigner des professionnels et des CEE pour les jurys d'examen des "
        "diplômes professionnels", article_number="2",
    )  # fmt: skip


def load() -> str:
    academie = Academie.objects.filter(name__iexact="Montpellier").first()
    team = User.objects.filter(email=f"daet.montpellier@{DEMO_EMAIL_DOMAIN}").first()
    agreement = (
        Agreement.objects.filter(
            kind=AgreementKind.CEE, state=AgreementState.IN_FORCE, academie=academie
        )
        .order_by("pk")
        .first()
    )
    party = agreement.parties.filter(organisation__isnull=False).first() if agreement else None
    if academie is None or team is None or agreement is None or party is None:
        return ""
    organisation = party.organisation
    assert organisation is not None  # filtered above
    lycees = Establishment.objects.filter(academie=academie, kind="lycee").order_by("uai")
    centres = list(lycees.filter(vocational_track=True)[:3]) or list(lycees[:3])
    if not centres:
        return ""
    cee = Advisor.objects.filter(
        academie=academie, kind=AdvisorKind.CEE, state=AdvisorState.ACTIVE,
        organisation=organisation,
    ).order_by("pk").first()  # fmt: skip
    today = timezone.localdate()
    created = 0
    with transaction.atomic():
        _commitment(agreement)
        for index, (diploma, specialty, offset, seats) in enumerate(SESSIONS):
            day = _day(offset, today)
            centre = centres[index % len(centres)]
            session, new = ExamSession.objects.get_or_create(
                academie=academie, diploma=diploma, date=day,
                defaults={"specialty": specialty, "starts_at": time(8, 0), "seats": seats,
                          "place": f"{centre.name}, ateliers", "establishment": centre,
                          "notes": "Se présenter à l'accueil muni d'une pièce d'identité.",
                          "created_by": team},
            )  # fmt: skip
            if not new:
                continue
            created += 1
            people: list[tuple[str, str, str, str, Advisor | None]] = [
                (c.full_name, c.email, c.employer_name, c.job_title, c) for c in [cee] if c
            ]
            people += [
                (name, f"{local}@{DEMO_EMAIL_DOMAIN}", employer, job, None)
                for name, local, employer, job in PROFESSIONALS
            ]
            for rank, (name, email, employer, job, advisor) in enumerate(people[:seats]):
                juror = Juror.objects.create(
                    session=session, organisation=organisation, advisor=advisor, full_name=name,
                    email=email, employer_name=employer, job_title=job, named_by=team,
                )  # fmt: skip
                steps: list[tuple[str, str]] = []
                if day < today or (rank == 0 and index == 0):
                    steps.append(("convoquer", JurorState.CONVOKED))
                if day < today:
                    steps.append(("constater_presence", JurorState.ATTENDED))
                _walk(juror, team, steps)
    return f"Jurys : {created} sessions d'examen et leurs jurés (engagement « jurys »)."
