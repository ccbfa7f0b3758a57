"""Demo data of the governance app, loaded by `load_demo` after the demo conventions
(relais/agreements/demo.py): the bodies their texts set up, with members, a few meetings
(minutes, decisions, action items) and one annual report.

- Lille Clubster (« Gouvernance et mise en œuvre »): a strategic committee « une fois par an
  en juin », a regional steering committee « deux fois par an, en septembre et février »,
  and a groupe projet (semaine de l'industrie);
- CPME Île-de-France 2018 (art. 3.1): a comité de pilotage « une fois par an »;
- model CEE convention, Montpellier (art. 6): a steering committee « a minima une fois par
  an », whose bilan of the last school year is validated.

Dates follow the current school year so that the compliance page always has something to
say. The demo records minutes as sent without e-mailing anyone. Idempotent: a convention
that already has bodies is left alone; nothing is done when the conventions are absent.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from relais.agreements.models import Agreement
from relais.core.school_years import school_year_of
from relais.organisations.models import Organisation
from relais.users.enums import Role
from relais.users.models import User

from . import services
from .enums import BodyKind, MemberRole
from .models import Body, Meeting

LILLE_TITLE = "Convention Clubster école-entreprise de l'académie de Lille"
CPME_TITLE = (
    "Convention de partenariat académies de Créteil, Paris, Versailles — CPME Île-de-France"
)
CEE_TITLE = "Convention conseillers entreprises pour l'école — Montpellier — MEDEF Occitanie"
MAIL = "demo.relais.example"
# The comité stratégique of the Lille convention (« Gouvernance et mise en œuvre »), in the
# text's order: (member, e-mail, organisation's acronym or label).
LILLE_STRATEGIC = [
    ("Le recteur de l'académie de Lille", f"recteur.lille@{MAIL}", "Rectorat de Lille"),
    ("Le président du MEDEF régional", f"president.medef.npc@{MAIL}", "MEDEF NPC"),
    ("Le président de l'UIMM régionale", f"president.uimm.npdc@{MAIL}", "UIMM NPDC"),
    ("Le président de la CMA Nord-Pas de Calais", f"president.cma.npdc@{MAIL}", "CMA NPdC"),
    ("Le président de la CCIR", f"president.ccir.ndf@{MAIL}", "CCIR NdF"),
]


def _admin() -> User | None:
    return User.objects.filter(memberships__role=Role.NATIONAL_ADMIN).order_by("pk").first()


def _org(acronym: str) -> Organisation | None:
    if not acronym:
        return None
    return Organisation.objects.filter(acronym=acronym).order_by("pk").first()


def _body(user, agreement, *, name, kind, minimum, months, rule_text, members) -> Body:
    body = services.body_create(
        user=user,
        agreement=agreement,
        data={
            "name": name,
            "kind": kind,
            "min_meetings_per_year": minimum,
            "required_months": months,
            "rule_text": rule_text,
        },
    )
    for full_name, email, structure, role in members:
        organisation = _org(structure)
        services.member_add(
            user=user,
            body=body,
            data={
                "full_name": full_name,
                "email": email,
                "organisation": organisation,
                "organisation_label": "" if organisation else structure,
                "role": role,
            },
        )
    return body


def _meeting(user, body, day: date, *, place, agenda, minutes="", decisions=(), actions=(),
             sent=False) -> Meeting:  # fmt: skip
    """A meeting on ``day``: held (with its minutes, decisions, actions) when the day is
    past, planned otherwise."""
    starts_at = timezone.make_aware(datetime.combine(day, time(14, 0)))
    meeting = services.meeting_plan(
        user=user, body=body, starts_at=starts_at, place=place, agenda=agenda
    )
    if day >= timezone.localdate():
        return meeting
    meeting = services.meeting_mark_held(user=user, meeting=meeting)
    members = list(body.members.all())
    services.attendance_record(
        user=user,
        meeting=meeting,
        statuses={m.pk: ("excuse" if i == len(members) - 1 else "present")
                  for i, m in enumerate(members)},
    )  # fmt: skip
    if minutes:
        services.minutes_save(user=user, meeting=meeting, text=minutes)
    for text in decisions:
        services.decision_add(user=user, meeting=meeting, text=text)
    for description, owner, email, due, done in actions:
        item = services.action_item_add(
            user=user, meeting=meeting, description=description, owner=owner,
            owner_email=email, due_date=due,
        )  # fmt: skip
        if done:
            services.action_item_mark_done(user=user, item=item, done_on=due)
    if sent and minutes:
        # Recorded as sent (the demo e-mails no one).
        Meeting.objects.filter(pk=meeting.pk).update(
            minutes_sent_at=starts_at + timedelta(days=3), minutes_sent_by=user
        )
    return meeting


def load_lille(user, agreement: Agreement, year: int) -> int:
    """Bodies of the Clubster convention; ``year`` is the current school year."""
    previous = year - 1
    # « il réunira le Recteur, le président du MEDEF Régional, le président de l'UIMM
    # Régionale, le président de la CMA Nord-Pas de Calais, le président de la CCIR »: the
    # members as the text names them (by their office, no invented person).
    signatories = [
        (name, email, structure, MemberRole.CHAIR if index == 0 else MemberRole.MEMBER)
        for index, (name, email, structure) in enumerate(LILLE_STRATEGIC)
    ]
    strategic = _body(
        user, agreement, name="Comité stratégique du Clubster", kind=BodyKind.STRATEGIC,
        minimum=1, months=[6],
        rule_text="Un comité stratégique se réunira une fois par an en juin ; il réunira le "
        "Recteur, le président du MEDEF Régional, le président de l'UIMM Régionale, le "
        "président de la CMA Nord-Pas de Calais, le président de la CCIR ou les représentants "
        "mandatés pour chaque organisation.",
        members=signatories,
    )  # fmt: skip
    _meeting(
        user, strategic, date(previous + 1, 6, 23), place="Rectorat de Lille",
        agenda="Bilan des actions de l'année écoulée ; orientations stratégiques ; annuaire "
        "des clubs école-entreprise.",
        minutes="Le comité a établi le bilan des actions conduites et fixé trois orientations "
        "pour l'année à venir : l'industrie au collège, la formation des enseignants, les "
        "métiers en tension.",
        decisions=["Publier l'annuaire des clubs école-entreprise à l'issue du comité.",
                   "Reconduire le concours vidéo des clubs."],
        sent=True,
    )  # fmt: skip
    steering = _body(
        user, agreement, name="Comité de pilotage régional du Clubster", kind=BodyKind.STEERING,
        minimum=2, months=[9, 2],
        rule_text="Un comité de pilotage régional se réunira deux fois par an, en septembre et "
        "février au moment de la préparation des temps forts de l'année scolaire.",
        members=[
            # « animé par le ou les chefs de file du Clubster […] réunit les représentants
            # des organisations signataires de la convention, et au moins un représentant de
            # chaque club école-entreprise »; the two chefs de projet « désignés
            # respectivement par le monde économique signataire et la DAET ».
            ("Cheffe de projet de la DAET", f"daet.lille@{MAIL}", "Rectorat de Lille — DAET",
             MemberRole.CHAIR),
            ("Chef de projet du monde économique signataire", f"chef.projet.eco@{MAIL}",
             "MEDEF NPC", MemberRole.CHAIR),
            ("Représentant du MEDEF Nord-Pas de Calais", f"medef.npc@{MAIL}", "MEDEF NPC",
             MemberRole.MEMBER),
            ("Représentant de l'UIMM Nord-Pas de Calais", f"uimm.npdc@{MAIL}", "UIMM NPDC",
             MemberRole.MEMBER),
            ("Représentante de la CMA Nord-Pas de Calais", f"cma.npdc@{MAIL}", "CMA NPdC",
             MemberRole.MEMBER),
            ("Représentant de la CCI de région Nord de France", f"ccir.ndf@{MAIL}", "CCIR NdF",
             MemberRole.MEMBER),
            ("Représentante du club école-entreprise de Lens", f"club.lens@{MAIL}",
             "Club école-entreprise de Lens", MemberRole.MEMBER),
            ("Représentant du club école-entreprise de Roubaix", f"club.roubaix@{MAIL}",
             "Club école-entreprise de Roubaix", MemberRole.MEMBER),
        ],
    )  # fmt: skip
    _meeting(
        user, steering, date(previous, 9, 18), place="Rectorat de Lille",
        agenda="Temps forts de l'année : semaine de l'industrie, semaine école-entreprise.",
        minutes="Plan d'actions annuel adopté ; calendrier des temps forts arrêté.",
        decisions=["Adopter le plan d'actions annuel du Clubster."], sent=True,
    )  # fmt: skip
    _meeting(
        user, steering, date(previous + 1, 2, 10), place="CCI Grand Lille",
        agenda="Point d'étape ; documents d'évaluation.",
        minutes="Les clubs ont présenté leurs actions ; la grille d'évaluation est validée.",
        sent=True,
    )  # fmt: skip
    _meeting(
        user, steering, date(year, 9, 16), place="Rectorat de Lille",
        agenda="Préparation des temps forts ; outils de communication.",
        minutes="Le comité a arrêté les dates de la semaine de l'industrie.",
        decisions=["Créer une lettre d'information trimestrielle du Clubster."],
        actions=[
            ("Rédiger la première lettre d'information", "Cheffe de projet de la DAET",
             f"daet.lille@{MAIL}", date(year, 10, 31), False),
            ("Recenser les entreprises prêtes à accueillir des enseignants",
             "Chef de projet du monde économique signataire",
             f"chef.projet.eco@{MAIL}", date(year, 11, 30), False),
        ],
    )  # fmt: skip
    _meeting(
        user, steering, date(year + 1, 2, 9), place="Rectorat de Lille",
        agenda="Point d'étape des clubs ; évaluation de la convention.",
    )  # fmt: skip
    project = _body(
        user, agreement, name="Groupe projet « Semaine de l'industrie »",
        kind=BodyKind.PROJECT_GROUP, minimum=1, months=[],
        rule_text="Des groupes projet pourront le cas échéant se constituer pendant l'année sur "
        "des actions régionales partagées et parrainées par le Clubster école-entreprise. Un "
        "responsable sera nommé pour chaque groupe projet.",
        members=[("Responsable du groupe projet", f"uimm.npdc@{MAIL}", "UIMM NPDC",
                  MemberRole.CHAIR),
                 ("Représentante du club école-entreprise de Lens", f"club.lens@{MAIL}",
                  "Club école-entreprise de Lens", MemberRole.MEMBER)],
    )  # fmt: skip
    _meeting(
        user, project, date(year + 1, 1, 13), place="UIMM Hauts-de-France",
        agenda="Programme des visites d'usines pour les collégiens.",
    )  # fmt: skip
    return 3


def load_cpme(user, agreement: Agreement) -> int:
    """The CPME Île-de-France comité de pilotage, with its yearly meetings of 2018-2020."""
    body = _body(
        user, agreement, name="Comité de pilotage CPME Île-de-France", kind=BodyKind.STEERING,
        minimum=1, months=[],
        rule_text="Le comité de pilotage se réunira une fois par an pour effectuer le suivi des "
        "actions en cours dans l'académie et faire le point sur la collaboration effective "
        "entre les partenaires.",
        members=[
            ("Déléguée de région académique", f"drafpic.idf@{MAIL}", "Région académique "
             "Île-de-France", MemberRole.CHAIR),
            ("Président de la CPME Île-de-France", f"cpme.idf@{MAIL}", "CPME",
             MemberRole.BY_RIGHT),
        ],
    )  # fmt: skip
    _meeting(
        user, body, date(2018, 6, 14), place="Rectorat de Paris",
        agenda="État des lieux des actions déjà entreprises ; plan de partenariat 2018-2019.",
        minutes="Première réunion : état des lieux et plan de partenariat interacadémique.",
        decisions=["Diffuser les CV des élèves allophones (CASNAV) auprès des adhérents."],
        sent=True,
    )  # fmt: skip
    _meeting(
        user, body, date(2019, 6, 20), place="CPME Île-de-France",
        agenda="Bilan de l'année passée ; plan de partenariat 2019-2020.",
        minutes="Bilan présenté ; réunion ouverte à la presse à l'issue du comité.", sent=True,
    )  # fmt: skip
    return 1


def load_cee(user, agreement: Agreement, year: int) -> int:
    """The CEE convention's steering committee and the validated bilan of last year."""
    body = _body(
        user, agreement, name="Comité de pilotage CEE — MEDEF Occitanie",
        kind=BodyKind.STEERING, minimum=1, months=[],
        rule_text="Il se réunit a minima une fois par an à l'initiative de la déléguée "
        "académique aux enseignements techniques. Un compte-rendu des réunions est rédigé par "
        "la DAET et adressé à l'ensemble des membres du comité de pilotage.",
        members=[
            ("Équipe DAET Montpellier", f"daet.montpellier@{MAIL}", "Rectorat de Montpellier",
             MemberRole.SECRETARY),
            ("Représentant MEDEF Occitanie", f"medef.occitanie@{MAIL}", "MEDEF Occitanie",
             MemberRole.MEMBER),
            ("Représentante MEDEF Occitanie", f"medef.occitanie2@{MAIL}", "MEDEF Occitanie",
             MemberRole.MEMBER),
            ("Conseiller entreprises pour l'école", f"cee1@{MAIL}", "", MemberRole.MEMBER),
            ("Conseillère entreprises pour l'école", f"cee2@{MAIL}", "", MemberRole.MEMBER),
        ],
    )  # fmt: skip
    if agreement.start_date and agreement.start_date < date(year, 6, 11):
        _meeting(
            user, body, date(year, 6, 11), place="Rectorat de Montpellier",
            agenda="Bilan de la première année ; désignation des conseillers.",
            minutes="Dix conseillers désignés ; interventions dans vingt collèges.",
            decisions=["Proposer cinq conseillers de plus par avenant."],
            actions=[("Transmettre la liste des candidats au recteur", "Représentant MEDEF "
                      "Occitanie", f"medef.occitanie@{MAIL}", date(year, 7, 3), True)],
            sent=True,
        )  # fmt: skip
    _meeting(
        user, body, date(year + 1, 1, 20), place="Rectorat de Montpellier",
        agenda="Point d'étape des interventions ; jurys d'examen.",
        actions=[],
    )  # fmt: skip
    return 1


def _report(user, agreement: Agreement, school_year: int) -> bool:
    start = agreement.start_date
    if start is None or school_year_of(start) > school_year:
        return False
    report = services.report_create(user=user, agreement=agreement, school_year=school_year)
    results = {
        r.commitment_id: {
            "achieved": (r.commitment.quantity or 0) - 2 if r.commitment.quantity else None,
            "comment": "Désignations en cours pour les derniers conseillers (démonstration).",
        }
        for r in report.results.select_related("commitment")
    }
    services.report_update(
        user=user,
        report=report,
        results=results,
        data={
            "summary": "Interventions des conseillers entreprises pour l'école dans vingt "
            "collèges et cinq lycées professionnels ; participation aux jurys de CAP "
            "(démonstration).",
            "figures": "1 450 élèves rencontrés ; 38 interventions ; 6 jurys (démonstration).",
            "action_plan": "Étendre les interventions aux lycées généraux et technologiques ; "
            "former les nouveaux conseillers à la rentrée (démonstration).",
        },
    )
    return services.report_validate(user=user, report=report).is_final


@transaction.atomic
def load() -> str:
    """Create the demo bodies, meetings and report (idempotent) and return a one-line French
    summary."""
    user = _admin()
    conventions = {
        title: Agreement.objects.filter(title=title).first()
        for title in (LILLE_TITLE, CPME_TITLE, CEE_TITLE)
    }
    if user is None or not any(conventions.values()):
        return "Instances de démonstration : aucune convention de démonstration."
    year = school_year_of(timezone.localdate())
    created, reports = 0, 0
    for title, agreement in conventions.items():
        if agreement is None or agreement.bodies.exists():
            continue
        if title == LILLE_TITLE:
            created += load_lille(user, agreement, year)
        elif title == CPME_TITLE:
            created += load_cpme(user, agreement)
        else:
            created += load_cee(user, agreement, year)
            reports += _report(user, agreement, year - 1)
    if not created:
        return "Instances de démonstration : déjà chargées."
    return (
        f"Instances de démonstration : {created} instances, "
        f"{Meeting.objects.filter(body__agreement__title__in=list(conventions)).count()} "
        f"réunions, {reports} bilan annuel validé."
    )
