"""CEE and CET: proposal, designation with its lettre de mission, employer information, end of
mandate, interventions, commitments against designations, the yearly nominative list."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from relais.agreements.enums import AgreementState
from relais.agreements.models import Agreement, Commitment
from relais.core.models import Notification
from relais.core.school_years import school_year_of
from relais.documents.rendering import docx_text, pdf_text
from relais.users.enums import Role
from relais.volunteers.documents import mission_letter_docx, mission_letter_pdf
from relais.volunteers.enums import AdvisorKind, AdvisorState, InterventionDomain
from relais.volunteers.models import Advisor, AdvisorJournal, NominativeListSending
from relais.volunteers.selectors import (
    commitment_report,
    intervention_totals,
    intervention_totals_by,
    interventions_visible_to,
    nominative_list,
)
from relais.volunteers.services import advisors as services
from tests.factories import (
    AcademieFactory,
    EstablishmentFactory,
    OrganisationFactory,
    make_user,
)
from tests.mail import deliver_outbox

from .factories import AdvisorFactory, InterventionFactory, cee_agreement

TODAY = timezone.localdate


@pytest.fixture
def setup(db):
    academie = AcademieFactory(code="71", name="Montpellier")
    org = OrganisationFactory(
        professional=True, academie=academie, name="CPME de l'Hérault", email="cpme@ex.fr"
    )
    agreement = cee_agreement(academie, org, committed=2)
    team = make_user(Role.ACADEMIE_TEAM, academie, first_name="Sophie", last_name="Daet")
    rep = make_user(Role.ORGANISATION_REP, org)
    return academie, org, agreement, team, rep


def _data(**overrides):
    data = {
        "first_name": "Paul",
        "last_name": "Maçon",
        "email": "Paul.Macon@btp.example",
        "status": "salarie",
        "employer_name": "Bâtiments du Sud",
        "sectors": "Bâtiment",
        "domains": [InterventionDomain.PARCOURS_AVENIR, InterventionDomain.JURIES],
    }
    data.update(overrides)
    return data


def _propose(setup, **overrides):
    academie, org, agreement, team, rep = setup
    return services.advisor_propose(
        user=rep,
        kind=AdvisorKind.CEE,
        academie=academie,
        organisation=org,
        agreement=agreement,
        data=_data(**overrides),
    )


def _designate(setup, advisor, **overrides):
    academie, org, agreement, team, rep = setup
    kwargs = {
        "user": team,
        "advisor": advisor,
        "mandate_start": TODAY(),
        "mandate_end": agreement.current_end,
        "mission": "Appui aux collèges du Gard pour le parcours Avenir.",
        "geographic_scope": "Bassin de Nîmes",
        "contact_name": "Sophie Daet",
        "contact_email": "sophie.daet@ac-test.example",
        "contact_phone": "04 67 00 00 00",
    }
    kwargs.update(overrides)
    return services.advisor_designate(**kwargs)


def test_organisation_proposes_and_the_team_is_told(setup, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        advisor = _propose(setup)
    team = setup[3]
    assert advisor.state == AdvisorState.PROPOSED and advisor.email == "paul.macon@btp.example"
    assert advisor.journal.get().to_state == AdvisorState.PROPOSED
    deliver_outbox()
    assert [m.to for m in mail.outbox] == [[team.email]]
    assert mail.outbox[0].subject == "Nouvelle proposition de CEE : Paul Maçon"


def test_cee_needs_a_cee_convention_in_force_signed_by_the_organisation(setup):
    academie, org, agreement, team, rep = setup
    other_org = OrganisationFactory(professional=True, academie=academie)
    with pytest.raises(ValidationError, match="n'est pas signataire"):
        services.advisor_propose(
            user=team, kind=AdvisorKind.CEE, academie=academie, organisation=other_org,
            agreement=agreement, data=_data(),
        )  # fmt: skip
    agreement.state = AgreementState.EXPIRED
    agreement.ended_on = TODAY()
    agreement.save()
    with pytest.raises(ValidationError, match="convention CEE en vigueur"):
        _propose(setup)
    with pytest.raises(ValidationError, match="Choisissez la convention"):
        services.advisor_propose(
            user=rep, kind=AdvisorKind.CEE, academie=academie, organisation=org, data=_data()
        )


def test_a_representative_proposes_only_for_their_organisation(setup):
    academie, org, agreement, team, rep = setup
    stranger = make_user(Role.ORGANISATION_REP, OrganisationFactory(academie=academie))
    with pytest.raises(PermissionDenied):
        services.advisor_propose(
            user=stranger, kind=AdvisorKind.CEE, academie=academie, organisation=org,
            agreement=agreement, data=_data(),
        )  # fmt: skip
    teacher = make_user(Role.TEACHER, EstablishmentFactory(academie=academie))
    with pytest.raises(PermissionDenied):
        services.advisor_propose(
            user=teacher, kind=AdvisorKind.CET, academie=academie, organisation=org, data=_data()
        )


def test_an_organisation_proposes_only_in_its_territory(setup):
    """Issue 17, item 2: the rule holds whoever enters the proposal."""
    academie, org, agreement, team, rep = setup
    elsewhere = AcademieFactory(code="72", name="Toulouse")
    for user in (rep, make_user(Role.ACADEMIE_TEAM, elsewhere)):
        with pytest.raises(ValidationError, match="n'en fait pas partie") as error:
            services.advisor_propose(
                user=user, kind=AdvisorKind.CET, academie=elsewhere, organisation=org,
                data=_data(),
            )  # fmt: skip
        assert list(error.value.message_dict) == ["academie"]
    assert not Advisor.objects.exists()


def test_same_person_cannot_be_proposed_twice(setup):
    _propose(setup)
    with pytest.raises(ValidationError, match="déjà proposé"):
        _propose(setup, email="paul.macon@BTP.example")


def test_designation_fixes_the_letter_and_sends_it_once_as_pdf(
    setup, django_capture_on_commit_callbacks
):
    advisor = _propose(setup)
    deliver_outbox()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        advisor = _designate(setup, advisor)
    assert advisor.state == AdvisorState.DESIGNATED
    assert advisor.letter_number == f"CEE-71-{school_year_of(TODAY())}-{advisor.pk:05d}"
    deliver_outbox()
    message = mail.outbox[-1]
    assert sorted(message.to) == sorted(["cpme@ex.fr", setup[4].email])
    ((name, content, mimetype),) = message.attachments
    assert mimetype == "application/pdf" and name.endswith(".pdf")
    text = pdf_text(content)
    assert "Lettre de mission" in text and "Paul Maçon" in text
    assert "Bassin de Nîmes" in text and "Sophie Daet" in text
    # The same designation notified twice sends nothing more.
    assert Notification.objects.filter(key__endswith=":designated").count() == 1


def test_lettre_de_mission_docx_and_pdf_state_nature_scope_duration_and_contact(setup):
    advisor = _designate(setup, _propose(setup))
    end = advisor.mandate_end
    for text in (
        docx_text(mission_letter_docx(advisor).content),
        pdf_text(mission_letter_pdf(advisor).content),
    ):
        assert "Appui aux collèges du Gard pour le parcours Avenir." in text  # nature
        assert "Bassin de Nîmes" in text  # geographic scope
        assert f"au {end.day}" in text and str(end.year) in text  # duration
        assert "sophie.daet@ac-test.example" in text  # académie contact
        assert "D. 331-65 à D. 331-67" in text
        assert setup[2].number in text  # the convention
        assert "Parcours Avenir, de la 6e à la terminale" in text  # Article 2 domain
        assert "informer" in text and "employeur" in text


def test_lettre_de_mission_docx_and_pdf_say_the_same_text(setup):
    """Issue 13: the same sentences in both formats, word for word (page footers aside),
    with no « (e) » placeholder."""
    advisor = _designate(setup, _propose(setup))
    docx = docx_text(mission_letter_docx(advisor).content)
    pdf = [line for line in pdf_text(mission_letter_pdf(advisor).content).splitlines()]
    pdf_words = "\n".join(line for line in pdf if " — page " not in line).split()
    assert docx.split() == pdf_words, set(docx.split()) ^ set(pdf_words)
    assert "(e)" not in docx and "le recteur désigne" in docx


def test_mandate_must_fit_the_convention(setup):
    academie, org, agreement, team, rep = setup
    advisor = _propose(setup)
    with pytest.raises(ValidationError, match="dépasser la fin de la convention"):
        _designate(setup, advisor, mandate_end=agreement.current_end + timedelta(days=1))
    with pytest.raises(ValidationError, match="suivre son début"):
        _designate(setup, advisor, mandate_end=TODAY())
    with pytest.raises(ValidationError, match="champ géographique"):
        _designate(setup, advisor, geographic_scope=" ")


def test_only_the_team_designates_or_refuses(setup):
    advisor = _propose(setup)
    rep = setup[4]
    with pytest.raises(PermissionDenied):
        _designate(setup, advisor, user=rep)
    with pytest.raises(PermissionDenied):
        services.advisor_refuse(user=rep, advisor=advisor, reason="Non")


def test_refusal_needs_a_reason_and_is_final(setup, django_capture_on_commit_callbacks):
    advisor = _propose(setup)
    team = setup[3]
    with pytest.raises(ValidationError, match="motif"):
        services.advisor_refuse(user=team, advisor=advisor, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        advisor = services.advisor_refuse(user=team, advisor=advisor, reason="Profil incomplet")
    assert advisor.state == AdvisorState.REFUSED
    deliver_outbox()
    assert "Motif : Profil incomplet" in mail.outbox[-1].body
    with pytest.raises(ValidationError, match="Impossible : « Désigner ».* « Refusé »"):
        _designate(setup, advisor)


def test_employer_information_starts_the_mission(setup):
    advisor = _designate(setup, _propose(setup))
    rep = setup[4]
    with pytest.raises(ValidationError, match="future"):
        services.advisor_confirm_employer_informed(
            user=rep, advisor=advisor, informed_on=TODAY() + timedelta(days=1)
        )
    advisor = services.advisor_confirm_employer_informed(user=rep, advisor=advisor)
    assert advisor.state == AdvisorState.ACTIVE
    assert advisor.employer_informed_on == TODAY() and advisor.employer_informed_by == rep
    log = list(advisor.journal.values_list("from_state", "to_state", "by"))
    assert log == [
        ("", AdvisorState.PROPOSED, rep.pk),
        (AdvisorState.PROPOSED, AdvisorState.DESIGNATED, setup[3].pk),
        (AdvisorState.DESIGNATED, AdvisorState.ACTIVE, rep.pk),
    ]


def test_an_undesignated_candidate_cannot_start_or_end(setup):
    advisor = _propose(setup)
    with pytest.raises(ValidationError, match="« Confirmer que l'employeur .* « Proposé »"):
        services.advisor_confirm_employer_informed(user=setup[4], advisor=advisor)
    with pytest.raises(ValidationError, match="« Mettre fin à la mission ».* « Proposé »"):
        services.advisor_end(user=setup[3], advisor=advisor, reason="Départ")


def test_withdraw_and_end(setup):
    rep, team = setup[4], setup[3]
    withdrawn = services.advisor_withdraw(user=rep, advisor=_propose(setup), reason="Mutation")
    assert withdrawn.state == AdvisorState.WITHDRAWN
    advisor = _designate(setup, _propose(setup, email="autre@btp.example"))
    with pytest.raises(PermissionDenied):
        services.advisor_end(user=rep, advisor=advisor, reason="x")
    ended = services.advisor_end(user=team, advisor=advisor, reason="Démission")
    assert ended.state == AdvisorState.ENDED and ended.ended_on == TODAY()
    assert ended.journal.last().note == "Démission"


def test_database_refuses_inconsistent_states(setup):
    advisor = _propose(setup)
    for changes, name in [
        ({"state": AdvisorState.REFUSED}, "advisor_refused_has_reason"),
        ({"state": AdvisorState.DESIGNATED}, "advisor_designated_has_mandate"),
        ({"kind": AdvisorKind.CEE, "agreement": None}, "advisor_cee_has_agreement"),
    ]:
        with pytest.raises(IntegrityError, match=name), transaction.atomic():
            Advisor.objects.filter(pk=advisor.pk).update(**changes)
    with pytest.raises(Exception, match="Cannot update"), transaction.atomic():
        AdvisorJournal.objects.filter(advisor=advisor).update(note="changé")


def test_cet_has_its_own_mandate_dates_without_convention(setup):
    academie, org, agreement, team, rep = setup
    cet = services.advisor_propose(
        user=rep, kind=AdvisorKind.CET, academie=academie, organisation=org, data=_data()
    )
    assert cet.agreement is None
    cet = _designate(
        setup, cet, mandate_start=date(2026, 1, 1), mandate_end=date(2030, 12, 31)
    )  # beyond any CEE convention: a CET has its own dates
    assert cet.letter_number.startswith("CET-71-")
    assert "Conseiller de l'enseignement technologique" in docx_text(
        mission_letter_docx(cet).content
    )
    assert services.default_mandate(cet, start=date(2026, 1, 1)) == date(2028, 8, 31)


def test_commitment_report_flags_short_conventions(setup):
    academie, org, agreement, team, rep = setup
    AdvisorFactory(academie=academie, organisation=org, agreement=agreement, active=True)
    AdvisorFactory(academie=academie, organisation=org, agreement=agreement)  # only proposed
    (row,) = commitment_report(user=team)
    assert (row["committed"], row["designated"], row["active"], row["missing"]) == (2, 0, 1, 1)
    assert row["short"]
    AdvisorFactory(academie=academie, organisation=org, agreement=agreement, designated=True)
    (row,) = commitment_report(user=team)
    assert row["appointed"] == 2 and not row["short"]
    # An avenant in force adds its commitments (agreements.consolidation).
    avenant = Agreement.objects.create(
        number="AV-T1", title="Avenant n° 1", kind="avenant", scope="academie",
        state=AgreementState.IN_FORCE, academie=academie, amends=agreement,
        signed_on=agreement.start_date, start_date=agreement.start_date,
    )  # fmt: skip
    Commitment.objects.create(
        agreement=avenant, party=agreement.parties.last(), category="cee", quantity=3,
        description="Trois de plus",
    )  # fmt: skip
    (row,) = commitment_report(user=team)
    assert (row["committed"], row["missing"], row["short"]) == (5, 3, True)
    other_team = make_user(Role.ACADEMIE_TEAM, AcademieFactory(code="72"))
    assert commitment_report(user=other_team) == []
    assert [r["agreement"] for r in commitment_report(user=rep)] == [agreement]


def test_interventions_are_checked_and_totalled(setup):
    academie, org, agreement, team, rep = setup
    advisor = AdvisorFactory(academie=academie, organisation=org, agreement=agreement, active=True)
    school = EstablishmentFactory(academie=academie)
    record = services.intervention_record
    kwargs = {"user": rep, "advisor": advisor, "domain": "jurys", "establishment": school}
    record(**kwargs, date=TODAY() - timedelta(days=1), hours=Decimal("3.5"))
    with pytest.raises(ValidationError, match="comprise dans le mandat"):
        record(**kwargs, date=advisor.mandate_start - timedelta(days=1), hours=Decimal(1))
    with pytest.raises(ValidationError, match="académie du conseiller"):
        record(**{**kwargs, "establishment": EstablishmentFactory()}, date=TODAY(), hours=1)
    with pytest.raises(ValidationError):
        record(**kwargs, date=TODAY(), hours=Decimal(0))
    InterventionFactory(advisor=advisor, establishment=school, hours=Decimal("1.5"))
    interventions = interventions_visible_to(user=team)
    assert intervention_totals(interventions) == {"count": 2, "hours": Decimal("5.0")}
    by_agreement = intervention_totals_by(interventions, "advisor__agreement__number")
    assert by_agreement == [
        {"advisor__agreement__number": agreement.number, "count": 2, "hours": Decimal("5.0")}
    ]
    proposed = AdvisorFactory(academie=academie, organisation=org, agreement=agreement)
    with pytest.raises(PermissionDenied):
        record(**{**kwargs, "advisor": proposed}, date=TODAY(), hours=1)


def test_nominative_list_of_a_school_year_is_sent_to_each_signatory(
    setup, django_capture_on_commit_callbacks
):
    academie, org, agreement, team, rep = setup
    year = school_year_of(TODAY())
    listed = AdvisorFactory(academie=academie, organisation=org, agreement=agreement, active=True)
    AdvisorFactory(academie=academie, organisation=org, agreement=agreement)  # proposed only
    gone = AdvisorFactory(
        academie=academie, organisation=org, agreement=agreement, designated=True,
        mandate_start=date(year - 3, 9, 1), mandate_end=date(year - 1, 8, 31),
    )  # fmt: skip
    assert list(nominative_list(academie_id=academie.pk, kind="cee", school_year=year)) == [listed]
    assert gone not in nominative_list(academie_id=academie.pk, kind="cee", school_year=year)
    with django_capture_on_commit_callbacks(execute=True):
        result = services.nominative_list_send(
            user=team, academie=academie, kind="cee", school_year=year
        )
    assert result["count"] == 1 and result["unreachable"] == []
    deliver_outbox()
    message = mail.outbox[-1]
    assert sorted(message.to) == sorted(["cpme@ex.fr", rep.email])
    names = [name for name, *_ in message.attachments]
    assert names == [f"liste-nominative-cee-71-{year}-{year + 1}.pdf",
                     f"liste-nominative-cee-71-{year}-{year + 1}.csv"]  # fmt: skip
    assert listed.last_name in pdf_text(message.attachments[0][1])
    with django_capture_on_commit_callbacks(execute=True):
        services.nominative_list_send(user=team, academie=academie, kind="cee", school_year=year)
    sendings = NominativeListSending.objects.filter(organisation=org).order_by("sequence")
    assert [s.sequence for s in sendings] == [1, 2] and sendings[0].sent_by == team
    with pytest.raises(PermissionDenied):
        services.nominative_list_send(user=rep, academie=academie, kind="cee", school_year=year)
