"""The convention de stage of a placement, in PDF (WeasyPrint) and DOCX (python-docx), both
written from the same sentences (``agreement_text``): tests compare their words.

For the stage d'observation de 3e (and the stage de seconde, also an observation) the text
follows the national model convention of the séquence d'observation en milieu professionnel
(circulaire n° 2003-134 du 8 septembre 2003, convention type and its annexes; code de
l'éducation, art. L. 332-3-1 and D. 332-14; code du travail, art. L. 4153-1 to L. 4153-3 and
D. 4153-15 to D. 4153-37): its general provisions (Title I), the pedagogical annex (dates,
hours per day and daily schedule, activities planned, the tutor) and the financial annex
(the school's and the host's insurance), then the confidentiality undertaking (CPME
Île-de-France text, art. 3.2, ``relais.core.confidentiality``), « Fait à … le … » and the
signatures of the school head, the host, the pupil and the legal guardians. Other kinds
(PFMP) keep the same frame with their own legal basis.

Every datum the convention states must be on the offer or the period: a missing one is a
``DocumentError`` naming it, never a blank or a placeholder.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Field
from django.utils import timezone
from django.utils.formats import date_format

from relais.core import confidentiality
from relais.documents.rendering import DOCX_MIMETYPE, DocumentError, Rendered, render_pdf

from .enums import OfferKind
from .models import InternshipOffer, InternshipPeriod, Placement

OBSERVATION_KINDS = (OfferKind.THIRD, OfferKind.SECOND)
THIRD_MAX_HOURS = Decimal(7)  # a pupil under 15 on a stage d'observation

LEGAL_BASIS = {
    OfferKind.THIRD: (
        "Séquence d'observation en milieu professionnel des élèves de 3e : code de "
        "l'éducation, articles L. 332-3-1 et D. 332-14 ; code du travail, article L. 4153-1."
    ),
    OfferKind.SECOND: (
        "Séquence d'observation en milieu professionnel des élèves de seconde générale et "
        "technologique : code de l'éducation, article D. 332-14."
    ),
}
DEFAULT_BASIS = (
    "Période de formation en milieu professionnel : code de l'éducation, articles L. 124-1 et "
    "suivants et D. 124-1 et suivants."
)
VISAS = [
    "Vu le code du travail, et notamment ses articles L. 4153-1 à L. 4153-3 et D. 4153-15 à "
    "D. 4153-37 ;",
    "Vu le code de l'éducation, et notamment ses articles L. 332-3-1, L. 421-7 et D. 332-14 ;",
    "Vu le code civil, et notamment son article 1242 ;",
    "Vu la circulaire n° 2003-134 du 8 septembre 2003 relative aux modalités d'accueil en "
    "milieu professionnel d'élèves mineurs de moins de seize ans et sa convention type ;",
]

# What the convention needs, by model and field (the label is the field's own).
OFFER_REQUIRED = ("tutor_name", "hours_per_day", "daily_schedule", "activities", "host_insurer")
PERIOD_REQUIRED = ("school_insurer",)


@dataclass(frozen=True)
class AgreementText:
    """The convention as ordered sentences; the PDF and the DOCX only lay them out."""

    issuer: str
    title: str
    number: str
    basis: str
    visas: list[str]
    parties: list[str]
    articles: list[tuple[str, list[str]]]
    fait_a_le: str
    signatures: list[tuple[str, str]] = field(default_factory=list)


def _day(value) -> str:
    return date_format(value, "l j F Y")


def _hours(value: Decimal) -> str:
    whole = value.to_integral_value()
    text = str(whole) if value == whole else str(value).replace(".", ",")
    return f"{text} heure{'s' if value > 1 else ''}"


def _label(model: type[InternshipOffer] | type[InternshipPeriod], name: str) -> str:
    model_field = model._meta.get_field(name)
    assert isinstance(model_field, Field)
    return str(model_field.verbose_name)


def missing_data(placement: Placement) -> list[str]:
    """What the convention of ``placement`` still lacks, in French (empty: it can print)."""
    offer, period = placement.offer, placement.case.period
    missing = [
        f"sur l'offre « {offer.title} » : {_label(InternshipOffer, name)}"
        for name in OFFER_REQUIRED
        if getattr(offer, name) in (None, "")
    ]
    if period is None:
        missing.append("la période de stage du dossier")
    else:
        missing += [
            "sur la période de stage de l'établissement : " + _label(InternshipPeriod, name)
            for name in PERIOD_REQUIRED
            if not getattr(period, name)
        ]
    return missing


def _check(placement: Placement) -> None:
    missing = missing_data(placement)
    if missing:
        raise DocumentError(
            "Pour imprimer la convention de stage, complétez " + " ; ".join(missing) + "."
        )
    hours = placement.offer.hours_per_day
    if placement.offer.kind == OfferKind.THIRD and hours is not None and hours > THIRD_MAX_HOURS:
        raise DocumentError(
            "Un stage d'observation de 3e ne dépasse pas 7 heures de présence par jour : "
            f"corrigez l'offre « {placement.offer.title} » ({_hours(hours)})."
        )


def _tutor(offer: InternshipOffer) -> str:
    name = f"{offer.tutor_civility} {offer.tutor_name}".strip()
    details = ", ".join(x for x in (offer.tutor_function, offer.tutor_email) if x)
    return f"{name} ({details})" if details else name


def _insurance(insurer: str, policy: str) -> str:
    return f"{insurer}, contrat n° {policy}" if policy else insurer


def _general_articles(placement: Placement, observation: bool) -> list[tuple[str, list[str]]]:
    period = "séquence d'observation" if observation else "période de formation"
    offer, pupil = placement.offer, placement.case.pupil
    work = (
        [
            "Durant la séquence d'observation, l'élève n'a pas à concourir au travail dans "
            "la structure d'accueil. L'élève peut effectuer des enquêtes en liaison avec les "
            "enseignements et participer à des activités, à des essais ou à des "
            "démonstrations, sous le contrôle des personnes chargées de son encadrement.",
            "L'élève ne peut accéder aux machines, appareils ou produits dont l'usage est "
            "proscrit aux mineurs par les articles D. 4153-15 à D. 4153-37 du code du travail. "
            "L'élève ne peut ni procéder à des manœuvres ou manipulations sur d'autres machines, "
            "produits ou appareils de production, ni effectuer les travaux légers autorisés "
            "aux mineurs par ce même code.",
        ]
        if observation
        else [
            "Les activités confiées à l'élève sont en relation avec la formation préparée "
            "et respectent les règles du code du travail applicables aux mineurs."
        ]
    )
    return [
        (
            "Article 1 – Objet",
            [
                f"La présente convention a pour objet la mise en œuvre, au bénéfice de "
                f"{pupil.first_name} {pupil.last_name}, d'une {period} en milieu "
                f"professionnel au sein de la structure d'accueil : « {offer.title} » "
                f"(métier {offer.rome_id}), du {_day(placement.start)} au "
                f"{_day(placement.end)}."
            ],
        ),
        (
            "Article 2 – Organisation",
            [
                "Les objectifs et les modalités de la séquence sont consignés dans l'annexe "
                "pédagogique ; les modalités d'assurance dans l'annexe financière. Son "
                "organisation est arrêtée d'un commun accord entre le représentant de la "
                "structure d'accueil et le chef d'établissement."
            ],
        ),
        (
            "Article 3 – Statut de l'élève",
            [
                "L'élève demeure sous statut scolaire, sous l'autorité et la responsabilité du "
                "chef d'établissement. L'élève ne peut prétendre à aucune rémunération ou "
                "gratification de la structure d'accueil."
            ],
        ),
        ("Article 4 – Activités de l'élève", work),
        (
            "Article 5 – Accident",
            [
                "En cas d'accident survenant à l'élève, soit en milieu professionnel, soit au "
                "cours du trajet, le représentant de la structure d'accueil adresse la "
                "déclaration d'accident au chef d'établissement dans la journée où l'accident "
                "s'est produit, au plus tard dans les 24 heures."
            ],
        ),
        (
            "Article 6 – Difficultés et discipline",
            [
                "Le chef d'établissement et le représentant de la structure d'accueil se "
                "tiennent mutuellement informés des difficultés nées de l'application de la "
                "présente convention, notamment de toute absence de l'élève, et prennent d'un "
                "commun accord, en liaison avec l'équipe pédagogique, les dispositions propres "
                "à les résoudre."
            ],
        ),
        (
            "Article 7 – Durée",
            [f"La présente convention est signée pour la durée de la {period}."],
        ),
    ]


def _annexes(placement: Placement) -> list[tuple[str, list[str]]]:
    offer, period = placement.offer, placement.case.period
    assert period is not None and offer.hours_per_day is not None  # _check ran
    return [
        (
            "Article 8 – Annexe pédagogique",
            [
                f"Dates : du {_day(placement.start)} au {_day(placement.end)}.",
                f"Durée de présence : {_hours(offer.hours_per_day)} par jour, dans la limite "
                "de 35 heures par semaine, sans présence entre 20 heures et 6 heures, avec une "
                "pause de 30 minutes au-delà de 4 heures 30 de présence et deux jours de repos "
                "consécutifs par semaine.",
                f"Horaires de la journée : {offer.daily_schedule}.",
                f"Activités prévues : {offer.activities}",
                f"Tutorat dans la structure d'accueil : {_tutor(offer)}.",
                f"Lieu : {offer.address} {offer.commune.postal_code} {offer.commune.name}.",
            ],
        ),
        (
            "Article 9 – Annexe financière et assurances",
            [
                "Le représentant de la structure d'accueil garantit sa responsabilité civile "
                "chaque fois qu'elle est engagée, par une assurance particulière ou par un "
                "avenant relatif à l'accueil d'élèves à son contrat de responsabilité civile : "
                f"{_insurance(offer.host_insurer, offer.host_insurance_policy)}.",
                "Le chef d'établissement contracte une assurance couvrant la responsabilité "
                "civile de l'élève pour les dommages que l'élève pourrait causer pendant la "
                "séquence et sur le trajet : "
                f"{_insurance(period.school_insurer, period.school_insurance_policy)}.",
                "Aucun frais n'est mis à la charge de l'élève ni de sa famille par la "
                "structure d'accueil.",
            ],
        ),
    ]


def _confidentiality(placement: Placement) -> tuple[str, list[str]]:
    version = placement.confidentiality_version or confidentiality.VERSION
    paragraphs = [
        f"L'élève s'engage : « {confidentiality.text(version)} »",
        f"En signant la présente convention, l'élève et ses représentants légaux prennent cet "
        f"engagement (version {version} ; {confidentiality.SOURCE}).",
    ]
    if placement.confidentiality_acknowledged_at is not None:
        paragraphs.append(
            confidentiality.acknowledgement_line(
                who="l'élève et ses représentants légaux (enregistré par l'établissement)",
                at=placement.confidentiality_acknowledged_at,
                version=version,
            )
        )
    return "Article 10 – Confidentialité", paragraphs


def agreement_text(placement: Placement) -> AgreementText:
    """The sentences of the convention de stage of ``placement`` (DocumentError when a datum
    it states is missing)."""
    _check(placement)
    offer, pupil = placement.offer, placement.case.pupil
    school, host = pupil.establishment, offer.host
    observation = offer.kind in OBSERVATION_KINDS
    school_place = school.commune.name if school.commune is not None else school.name
    address = " ".join(x for x in (school.address_1, school.postal_code, school_place) if x)
    return AgreementText(
        issuer=str(school.academie),
        title=(
            "Convention relative à l'organisation d'une séquence d'observation en milieu "
            "professionnel"
            if observation
            else "Convention de stage"
        ),
        number=f"Convention n° {placement.pk} — {OfferKind(offer.kind).label}",
        basis=LEGAL_BASIS.get(OfferKind(offer.kind), DEFAULT_BASIS),
        visas=VISAS if observation else [],
        parties=[
            f"L'établissement d'enseignement : {school.name} (UAI {school.uai}), {address}, "
            "représenté par son chef d'établissement ;",
            f"La structure d'accueil : {host.name}"
            + (f" (SIRET {host.siret})" if host.siret else "")
            + f", {offer.address} {offer.commune.postal_code} {offer.commune.name}, "
            "représentée par son représentant légal ou son délégataire ;",
            f"L'élève : {pupil.first_name} {pupil.last_name}, classe de {pupil.class_label}, "
            "et ses représentants légaux.",
        ],
        articles=[
            *_general_articles(placement, observation),
            *_annexes(placement),
            _confidentiality(placement),
        ],
        fait_a_le=(
            f"Fait à {school_place}, le {date_format(timezone.localdate(), 'j F Y')}, en "
            "autant d'exemplaires que de signataires."
        ),
        signatures=[
            ("Pour l'établissement, le chef d'établissement", school.name),
            ("Pour la structure d'accueil, son représentant (et cachet)", host.name),
            ("L'élève", f"{pupil.first_name} {pupil.last_name}"),
            ("Premier représentant légal de l'élève", "Nom et prénom :"),
            ("Second représentant légal de l'élève, le cas échéant", "Nom et prénom :"),
        ],
    )


def _filename(placement: Placement, extension: str) -> str:
    return f"convention-de-stage-{placement.pk}.{extension}"


def agreement_pdf(placement: Placement) -> Rendered:
    """The convention de stage of ``placement`` in PDF/A (kept as a record)."""
    return render_pdf(
        "internships/documents/agreement.html",
        {"text": agreement_text(placement), "placement": placement},
        filename=_filename(placement, "pdf"),
        archive=True,
    )


def agreement_docx(placement: Placement) -> Rendered:
    """The same convention in Word: the same sentences, A4, the bloc-marque, signature rows
    that never split across pages."""
    from docx.shared import Pt

    from relais.documents.docx_base import keep_rows_whole, state_document

    text = agreement_text(placement)
    document = state_document(text.issuer)
    title = document.add_paragraph().add_run(text.title)
    title.bold, title.font.size = True, Pt(14)
    for line in (text.number, text.basis, *text.visas, "Entre les soussignés :", *text.parties):
        document.add_paragraph(line)
    for heading, paragraphs in text.articles:
        document.add_paragraph().add_run(heading).bold = True
        for paragraph in paragraphs:
            document.add_paragraph(paragraph)
    document.add_paragraph(text.fait_a_le).paragraph_format.keep_with_next = True
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for role, name in text.signatures:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = role, f"{name}\nDate et signature :"
    keep_rows_whole(table)
    buffer = io.BytesIO()
    document.save(buffer)
    return Rendered(buffer.getvalue(), _filename(placement, "docx"), DOCX_MIMETYPE)
