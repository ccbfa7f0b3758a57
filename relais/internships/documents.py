"""The convention de stage of a placement, as a PDF (WeasyPrint).

Signatories: the school (chef d'établissement), the host, the pupil and their legal guardian.
The legal basis follows the kind of internship: séquence d'observation en milieu
professionnel for the stage de 3e (code de l'éducation, art. D. 332-14; code du travail,
art. L. 4153-1), période de formation en milieu professionnel (code de l'éducation, art.
L. 124-1 et suivants, D. 124-1 et suivants) otherwise.
"""

from __future__ import annotations

from django.utils import timezone

from relais.documents.rendering import Rendered, render_pdf

from .enums import OfferKind
from .models import Placement

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


def agreement_pdf(placement: Placement) -> Rendered:
    """Render the convention de stage of ``placement``."""
    offer = placement.offer
    pupil = placement.case.pupil
    school = pupil.establishment
    context = {
        "placement": placement,
        "offer": offer,
        "pupil": pupil,
        "school": school,
        "host": offer.host,
        "legal_basis": LEGAL_BASIS.get(OfferKind(offer.kind), DEFAULT_BASIS),
        "generated_at": timezone.localtime(),
    }
    filename = f"convention-de-stage-{placement.pk}.pdf"
    return render_pdf("internships/documents/agreement.html", context, filename=filename)
