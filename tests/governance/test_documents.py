"""The annual report as DOCX and PDF: open the produced files and read their text."""

from datetime import date

import pytest

from relais.agreements.models import Agreement
from relais.documents.rendering import docx_text, pdf_text
from relais.governance import documents, services
from relais.governance.enums import MeetingState

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(world):
    team = world.users["academie_team"]
    convention = f.agreement(world.home, title="Convention Clubster école-entreprise")
    f.commitment(convention, description="Mobiliser des conseillers entreprises", quantity=10)
    # An avenant in force adds a commitment: the report follows the consolidated convention.
    avenant = Agreement.objects.create(
        number="GOV-AV-1",
        title="Avenant n° 1",
        kind="avenant",
        scope="academie",
        academie=world.home,
        amends=convention,
        state="en_vigueur",
        signed_on=date(2024, 3, 1),
        start_date=date(2024, 3, 1),
    )
    f.commitment(avenant, description="Accueillir des élèves en PFMP", quantity=40)
    body = f.body(convention, name="Comité stratégique")
    f.meeting(body, date(2025, 6, 20), state=MeetingState.HELD, place="Rectorat de Lille")
    report = services.report_create(user=team, agreement=convention, school_year=2024)
    first, second = [r.commitment for r in report.results.order_by("pk")]
    services.report_update(
        user=team,
        report=report,
        data={
            "summary": "Semaine de l'industrie dans douze collèges.",
            "figures": "1 200 élèves touchés.",
            "action_plan": "Étendre le concours vidéo aux lycées professionnels.",
        },
        results={
            first.pk: {"achieved": 12, "comment": "Objectif dépassé"},
            second.pk: {"achieved": 30, "comment": ""},
        },
    )
    services.report_validate(user=team, report=report)
    return report


def test_docx_text(report):
    rendered = documents.report_docx(report)
    assert rendered.filename == f"bilan-{report.agreement.number}-2024-2025.docx"
    text = docx_text(rendered.content)
    for expected in [
        "Bilan annuel de la convention",
        "Convention Clubster école-entreprise",
        "année scolaire 2024-2025",
        "Statut du bilan : Validé",
        "Semaine de l'industrie dans douze collèges.",
        "Mobiliser des conseillers entreprises",
        "10 conseillers",
        "12",
        "Objectif dépassé",
        "Accueillir des élèves en PFMP",
        "1 200 élèves touchés.",
        "Comité stratégique",
        "20/06/2025",
        "Rectorat de Lille",
        "Plan d'actions de l'année 2025-2026",
        "Étendre le concours vidéo aux lycées professionnels.",
    ]:
        assert expected in text, expected
    assert "{{" not in text and "{%" not in text


def test_pdf_text(report):
    rendered = documents.report_pdf(report)
    assert rendered.content.startswith(b"%PDF-")
    text = " ".join(pdf_text(rendered.content).split())
    for expected in [
        "Bilan annuel de la convention",
        "Convention Clubster école-entreprise",
        "2024-2025",
        "Mobiliser des conseillers entreprises",
        "12 (120 %)",
        "Accueillir des élèves en PFMP",
        "30 (75 %)",
        "Comité stratégique",
        "Étendre le concours vidéo",
    ]:
        assert expected in text, expected


def test_a_draft_without_figures_still_renders(world):
    report = services.report_create(
        user=world.users["academie_team"], agreement=f.agreement(world.home), school_year=2024
    )
    text = docx_text(documents.report_docx(report).content)
    assert "Statut du bilan : Brouillon" in text
    assert "À compléter." in text


def _words(text: str) -> list[str]:
    return text.replace("’", "'").split()


def test_pdf_and_docx_say_the_same_text(report, world):
    """Issue 13: both formats from the same sentences, word for word in the same order (the
    PDF's page footers aside); also for a draft without figures nor meetings."""
    draft = services.report_create(
        user=world.users["academie_team"],
        agreement=f.agreement(world.home, title="Sans engagement"),
        school_year=2024,
    )
    for bilan in (report, draft):
        pdf = pdf_text(documents.report_pdf(bilan).content).splitlines()
        pdf_words = _words("\n".join(line for line in pdf if " — page " not in line))
        docx_words = _words(docx_text(documents.report_docx(bilan).content))
        assert docx_words == pdf_words, set(docx_words) ^ set(pdf_words)
