"""Documents of the volunteers app: the lettre de mission of a CEE / CET (Article 3 of the
model convention) and the yearly nominative list (Article 5), as DOCX, PDF, CSV or XLSX; the
attestation of a teacher's immersion and a réserve volunteer's engagement, both with the
confidentiality undertaking they took (``relais.core.confidentiality``)."""

from __future__ import annotations

import csv
import io

from django.utils import timezone
from django.utils.formats import date_format

from relais.core import confidentiality
from relais.core.school_years import school_year_label
from relais.core.spreadsheets import safe_row
from relais.documents.rendering import Rendered, render_docx, render_pdf

from .enums import AdvisorKind, ProfessionalStatus
from .models import Advisor, ImmersionApplication, ReserveApplication

LETTER_KIND = "lettre_de_mission"


def _day(value) -> str:
    return date_format(value, "j F Y") if value else ""


def _academie_article(academie) -> str:
    text = str(academie)
    return text[0].lower() + text[1:]


def mission_letter_context(advisor: Advisor) -> dict:
    """The fields of the letter, all fixed at designation (so that a letter printed again
    states what was designated)."""
    agreement = advisor.agreement
    if agreement is not None:
        signed = f" signée le {_day(agreement.signed_on)}" if agreement.signed_on else ""
        visa = (
            f"Vu la convention n° {agreement.number} « {agreement.title} »{signed}, "
            "relative aux conseillers entreprises pour l'école ;"
        )
    else:
        visa = "Vu la proposition de l'organisation professionnelle ;"
    coordinates = " — ".join(x for x in (advisor.contact_email, advisor.contact_phone) if x)
    return {
        "academie": str(advisor.academie),
        "academie_article": _academie_article(advisor.academie),
        "lieu": advisor.academie.name,
        "date_lettre": _day(advisor.designated_on),
        "numero": advisor.letter_number,
        "type_conseiller": AdvisorKind(advisor.kind).label,
        "type_conseiller_court": (
            "conseiller entreprises pour l'école"
            if advisor.kind == AdvisorKind.CEE
            else "conseiller de l'enseignement technologique"
        ),
        "visa_convention": visa,
        "organisation": advisor.organisation.name,
        "conseiller": advisor.full_name,
        "conseiller_courriel": advisor.email,
        "statut": ProfessionalStatus(advisor.status).label,
        "employeur": advisor.employer_name,
        "secteurs": advisor.sectors,
        "mission": advisor.mission,
        "domaines": advisor.domain_labels(),
        "champ_geographique": advisor.geographic_scope,
        "debut_mandat": _day(advisor.mandate_start),
        "fin_mandat": _day(advisor.mandate_end),
        "referent_nom": advisor.contact_name,
        "referent_coordonnees": coordinates,
    }


def mission_letter_filename(advisor: Advisor, extension: str) -> str:
    return f"lettre-de-mission-{advisor.letter_number or advisor.pk}.{extension}"


def mission_letter_docx(advisor: Advisor) -> Rendered:
    return render_docx(
        LETTER_KIND,
        mission_letter_context(advisor),
        filename=mission_letter_filename(advisor, "docx"),
    )


def mission_letter_pdf(advisor: Advisor) -> Rendered:
    return render_pdf(
        "volunteers/documents/lettre_de_mission.html",
        {"letter": mission_letter_context(advisor), "advisor": advisor},
        filename=mission_letter_filename(advisor, "pdf"),
    )


NOMINATIVE_HEADER = [
    "Nom",
    "Prénom",
    "Statut",
    "Employeur",
    "Secteurs d'expertise",
    "Organisation",
    "Convention",
    "Début du mandat",
    "Fin du mandat",
    "État",
]


def nominative_row(advisor: Advisor) -> list:
    return [
        advisor.last_name,
        advisor.first_name,
        advisor.get_status_display(),
        advisor.employer_name,
        advisor.sectors,
        advisor.organisation.name,
        advisor.agreement.number if advisor.agreement is not None else "",
        advisor.mandate_start,
        advisor.mandate_end,
        advisor.get_state_display(),
    ]


def nominative_basename(academie, kind: str, school_year: int) -> str:
    return f"liste-nominative-{kind}-{academie.code}-{school_year_label(school_year)}"


def nominative_list_pdf(*, academie, kind: str, school_year: int, advisors) -> Rendered:
    return render_pdf(
        "volunteers/documents/liste_nominative.html",
        {
            "academie": academie,
            "kind_label": AdvisorKind(kind).label,
            "school_year": school_year_label(school_year),
            "advisors": advisors,
            "printed_on": _day(timezone.localdate()),
        },
        filename=nominative_basename(academie, kind, school_year) + ".pdf",
    )


def nominative_list_csv(advisors) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(safe_row(NOMINATIVE_HEADER))
    for advisor in advisors:
        writer.writerow(
            safe_row(
                v.strftime("%d/%m/%Y") if hasattr(v, "strftime") else v
                for v in nominative_row(advisor)
            )
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _undertaking(*, who: str, version: str, at) -> dict:
    """The confidentiality undertaking as taken (CPME Île-de-France text, art. 3.2): its
    wording of that version, who, when; or the current wording, not yet taken."""
    return {
        "text": confidentiality.text(version or confidentiality.VERSION),
        "source": confidentiality.SOURCE,
        "line": (
            confidentiality.acknowledgement_line(who=who, at=at, version=version)
            if version and at is not None
            else "Engagement de confidentialité : pas encore pris."
        ),
    }


def immersion_attestation_pdf(application: ImmersionApplication) -> Rendered:
    """The attestation of a teacher's immersion in a company, validated by the académie and
    the company, with the teacher's confidentiality undertaking."""
    offer = application.offer
    teacher = application.applicant.get_full_name() or str(application.applicant)
    return render_pdf(
        "volunteers/documents/attestation_immersion.html",
        {
            "application": application,
            "offer": offer,
            "teacher": teacher,
            "academie": str(offer.academie),
            "days": offer.days,
            "undertaking": _undertaking(
                who=teacher,
                version=application.confidentiality_version,
                at=application.confidentiality_accepted_at,
            ),
            "printed_on": _day(timezone.localdate()),
        },
        filename=f"attestation-immersion-{application.pk}.pdf",
        archive=True,
    )


def reservist_engagement_pdf(application: ReserveApplication, *, charter_version: str) -> Rendered:
    """A réserve citoyenne volunteer's engagement: the charter accepted and the
    confidentiality undertaking, each with its version and time."""
    return render_pdf(
        "volunteers/documents/engagement_reserviste.html",
        {
            "application": application,
            "academie": str(application.academie),
            "charter_version": charter_version,
            "undertaking": _undertaking(
                who=application.full_name,
                version=application.confidentiality_version,
                at=application.confidentiality_accepted_at,
            ),
            "printed_on": _day(timezone.localdate()),
        },
        filename=f"engagement-reserviste-{application.pk}.pdf",
        archive=True,
    )
