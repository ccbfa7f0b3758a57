"""Builders of the training app's tests: sections, a convention in force over an académie
with a partner and its commitments, CASNAV staff and a newcomer's CV (a real PDF)."""

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from relais.agreements.models import Agreement, Commitment, Party
from relais.training.enums import DiplomaLevel, SectionStatus
from relais.training.models import CasnavStaff, TrainingSection
from relais.training.services import newcomer_upload
from tests.documents.pdfs import tiny_pdf


def section(establishment, **fields) -> TrainingSection:
    values = {
        "diploma": "CAP Boulanger",
        "level": DiplomaLevel.CAP,
        "sector": "D",
        "status": SectionStatus.APPRENTICESHIP,
        "capacity": 12,
        "opened_on": date(2020, 9, 1),
    } | fields
    return TrainingSection.objects.create(establishment=establishment, **values)


def convention_in_force(academie, organisation, *, number="CPME-1", casnav=None, **fields):
    """A convention in force over ``academie`` whose economic party is ``organisation``; with
    ``casnav`` (a quantity), its « CASNAV » commitment."""
    agreement = Agreement.objects.create(
        number=number, title="Convention CPME", kind="cadre", scope="academie",
        academie=academie, academic_region_id=academie.region_id, state="en_vigueur",
        signed_on=date(2025, 1, 10), start_date=date(2025, 1, 10), **fields,
    )  # fmt: skip
    party = Party.objects.create(
        agreement=agreement, organisation=organisation, name=organisation.name, side="economique"
    )
    if casnav is not None:
        Commitment.objects.create(
            agreement=agreement, party=party, category="casnav", quantity=casnav,
            description="Faire circuler les CV du CASNAV auprès des adhérents.",
        )  # fmt: skip
    return agreement


def casnav_member(user, academie):
    CasnavStaff.objects.create(user=user, academie=academie)
    return user


def cv_upload(name="cv.pdf"):
    return SimpleUploadedFile(name, tiny_pdf("CV"), "application/pdf")


NEWCOMER_DATA = {
    "first_name": "Amadou",
    "initial": "D",
    "birth_year": 2007,
    "languages": "peul, anglais",
    "french_level": "A2",
    "sector": "G",
    "wish": "Cuisinier",
    "consent": True,
    "consent_giver": "jeune",
    "consent_name": "Amadou D.",
}


def newcomer(user, academie, **data):
    return newcomer_upload(user=user, academie=academie, cv=cv_upload(), data=NEWCOMER_DATA | data)
