"""The volunteers demo on a small académie de Montpellier: everything it promises exists, and
a second run creates nothing."""

import pytest

from relais.agreements.models import Agreement
from relais.documents.rendering import pdf_text
from relais.organisations.enums import OrganisationKind, OrganisationLevel
from relais.users.enums import Role
from relais.volunteers import demo
from relais.volunteers.documents import mission_letter_pdf
from relais.volunteers.enums import AdvisorState, ApplicationState, RequestState
from relais.volunteers.models import (
    Advisor,
    Course,
    ImmersionOffer,
    ReserveApplication,
    ReserveRequest,
)
from relais.volunteers.selectors import overdue_applications
from tests.factories import (
    AcademieFactory,
    CommuneFactory,
    EstablishmentFactory,
    OrganisationFactory,
    make_user,
)


@pytest.fixture
def montpellier(db):
    academie = AcademieFactory(code="11", name="Montpellier")
    for name in ("Montpellier", "Nîmes", "Sète", "Béziers"):
        CommuneFactory(name=name, departement__academie=academie)
    school = EstablishmentFactory(academie=academie)
    for _ in range(8):
        EstablishmentFactory(academie=academie)
    OrganisationFactory(
        name="MEDEF Occitanie", kind=OrganisationKind.PROFESSIONAL,
        level=OrganisationLevel.REGIONAL, academie=None, academic_region=academie.region,
        siret=None,
    )  # fmt: skip
    for _ in range(3):
        OrganisationFactory(academie=academie, is_demo=True)
    domain = demo.DOMAIN
    make_user(Role.ACADEMIE_TEAM, academie, email=f"daet.montpellier@{domain}")
    make_user(Role.TEACHER, school, email=f"enseignant@{domain}")
    make_user(
        Role.VOLUNTEER, academie, email=f"reserviste@{domain}", first_name="Paul",
        last_name="Lambert",
    )  # fmt: skip
    return academie


def test_demo_loads_everything_once(montpellier):
    summary = demo.load()
    assert summary.startswith("Bénévoles : 7 conseillers CEE/CET")
    agreement = Agreement.objects.get()
    assert agreement.title == demo.FALLBACK_CEE_TITLE  # no agreements demo in this test
    states = sorted(Advisor.objects.values_list("state", flat=True))
    assert states.count(AdvisorState.ACTIVE) == 4 and AdvisorState.REFUSED in states
    active = Advisor.objects.filter(state=AdvisorState.ACTIVE, kind="cee").first()
    assert "Lettre de mission" in pdf_text(mission_letter_pdf(active).content)
    assert active.interventions.count() == 2
    # Issue 15, item 11: no lettre de mission starts before its designation.
    for advisor in Advisor.objects.filter(designated_on__isnull=False):
        assert advisor.mandate_start >= advisor.designated_on
        assert all(i.date >= advisor.designated_on for i in advisor.interventions.all())
    assert ReserveApplication.objects.filter(state=ApplicationState.VALIDATED).count() == 4
    assert overdue_applications().count() == 1
    request = ReserveRequest.objects.get()
    assert request.state == RequestState.SENT
    assert request.reservist.user.email == f"reserviste@{demo.DOMAIN}"
    # The e-mail to the demo réserviste greets them by their own name (issue 14).
    assert request.reservist.first_name == request.reservist.user.first_name == "Paul"
    from relais.core.models import Notification

    sent = Notification.objects.filter(recipients__contains=[request.reservist.email])
    assert sent.exists() and all("Bonjour Paul," in n.body for n in sent)
    assert ImmersionOffer.objects.filter(is_demo=True).count() == 3
    assert Course.objects.get().participants.count() == 4
    counts = [m.objects.count() for m in (Advisor, ReserveApplication, ImmersionOffer, Course)]
    assert demo.load() == summary
    assert [m.objects.count() for m in (Advisor, ReserveApplication, ImmersionOffer, Course)] == (
        counts
    )
