"""Proposals: the place is held when sent, taken when the company accepts through its signed
link, freed on refusal, expiry or cancellation; the school confirms; the convention PDF."""

import datetime

import pytest
import time_machine
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from relais.documents.rendering import pdf_text
from relais.internships import services
from relais.internships.documents import agreement_pdf
from relais.internships.enums import CaseState, OfferState, ProposalState
from relais.internships.models import HostFeedback, OfferSlot
from relais.internships.workflows import PROPOSAL_WORKFLOW
from relais.pathways.enums import Item, Source
from relais.pathways.models import Experience
from tests.internships.factories import WEEK, published_offer, referred_case
from tests.mail import deliver_outbox

# A Monday, four weeks before the tests' internship week (2 February 2026): its reserved
# places are held until 19 January.
BEFORE_RELEASE = datetime.datetime(2026, 1, 5, 9, tzinfo=datetime.UTC)


@pytest.fixture
def offer(world, hub):
    return published_offer(world.bassin, world.company, capacity=1)


@pytest.fixture
def case(world, hub):
    return referred_case(world.school, world.users["teacher"])


def send(world, case, offer, role="hub_member"):
    return services.proposal_send(
        user=world.users[role], case=case, slot=offer.slots.get(), message="Élève motivée"
    )


def slot_counts(offer):
    slot = OfferSlot.objects.get(offer=offer)
    return slot.held, slot.taken


def test_send_holds_the_place_and_mails_first_name_only(
    world, case, offer, mailoutbox, django_capture_on_commit_callbacks
):
    # The answer link's token is signed with the second it is made: the clock stands still so
    # that the token expected here is the one the e-mail carries.
    with time_machine.travel(datetime.datetime.now(tz=datetime.UTC), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            proposal = send(world, case, offer)
        deliver_outbox()
        expected_token = services.proposal_token(proposal)
    assert proposal.state == ProposalState.SENT
    assert slot_counts(offer) == (1, 0)
    offer.refresh_from_db()
    assert offer.state == OfferState.FULL  # its only place is held
    case.refresh_from_db()
    assert case.state == CaseState.PROPOSAL_SENT
    assert proposal.expires_at - proposal.sent_at == datetime.timedelta(days=case.hub.answer_days)
    mail = mailoutbox[-1]
    assert mail.to == ["tuteur@entreprise.example"]
    assert case.pupil.first_name in mail.body and case.pupil.last_name not in mail.body
    assert expected_token in mail.body


@pytest.mark.parametrize("role", ["teacher", "head_of_school", "organisation_rep", "volunteer"])
def test_only_the_pole_sends(world, case, offer, role):
    with pytest.raises(PermissionDenied):
        send(world, case, offer, role)
    assert slot_counts(offer) == (0, 0)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"levels": ["2nde"]}, "pas ouverte au niveau"),
        ({"state": "draft"}, "pas publiée"),
        ({"accessible": False}, "lieu accessible"),
    ],
)
def test_send_checks_the_rules_again(world, case, offer, change, message):
    if "accessible" in change:
        case.needs_access = True
        case.save()
    for name, value in change.items():
        setattr(offer, name, value)
    offer.save()
    with pytest.raises(ValidationError, match=message):
        send(world, case, offer)


def test_send_outside_the_period_is_refused(world, case, hub):
    late = published_offer(world.bassin, world.company, week=WEEK + datetime.timedelta(weeks=3))
    with pytest.raises(ValidationError, match="pas dans la période"):
        send(world, case, late)


def test_no_free_place_no_proposal(world, case, offer):
    other = referred_case(world.school, world.users["teacher"])
    send(world, case, offer)
    with pytest.raises(ValidationError, match="Plus aucune place libre"):
        send(world, other, offer)


def test_reserved_places_go_to_priority_pupils(world, hub):
    offer = published_offer(world.bassin, world.company, capacity=2, reserved_places=1)
    plain_school = world.school2  # not REP: its pupils are priority only by their own flags
    from tests.internships.factories import HubFactory

    HubFactory(bassin=world.bassin2)
    offer.bassin = world.bassin2
    offer.save()
    from relais.users.enums import Role
    from tests.factories import make_user

    team = make_user(Role.HUB_MEMBER, world.bassin2)  # the pôle of school 2's bassin
    teacher2 = make_user(Role.TEACHER, plain_school)
    first = referred_case(plain_school, teacher2)
    second = referred_case(plain_school, teacher2)
    third = referred_case(plain_school, teacher2)
    # Held until two weeks before the week (relais.matching.reservations), then open to all.
    with time_machine.travel(BEFORE_RELEASE, tick=False):
        services.proposal_send(user=team, case=first, slot=offer.slots.get())
        with pytest.raises(ValidationError, match="réservées aux élèves prioritaires jusqu'au"):
            services.proposal_send(user=team, case=second, slot=offer.slots.get())
        second.pupil.qpv = True
        second.pupil.save()
        assert services.proposal_send(user=team, case=second, slot=offer.slots.get())
        # A priority pupil holds the reserved place: a new place is open to all (issue 12).
        OfferSlot.objects.filter(offer=offer).update(capacity=3)
        assert services.proposal_send(user=team, case=third, slot=offer.slots.get())


def test_reserved_places_open_to_all_at_the_release_date(world, hub):
    from relais.users.enums import Role
    from tests.factories import make_user
    from tests.internships.factories import HubFactory

    HubFactory(bassin=world.bassin2)
    offer = published_offer(world.bassin2, world.company, capacity=1, reserved_places=1)
    team = make_user(Role.HUB_MEMBER, world.bassin2)
    case = referred_case(world.school2, make_user(Role.TEACHER, world.school2))
    assert not case.pupil.is_priority
    with (
        time_machine.travel(BEFORE_RELEASE, tick=False),
        pytest.raises(ValidationError, match="jusqu'au 19/01/2026"),
    ):
        services.proposal_send(user=team, case=case, slot=offer.slots.get())
    with time_machine.travel(BEFORE_RELEASE + datetime.timedelta(days=14), tick=False):
        assert services.proposal_send(user=team, case=case, slot=offer.slots.get())


def test_a_case_has_one_open_proposal(world, case, offer, hub):
    other_offer = published_offer(world.bassin, world.company)
    send(world, case, offer)
    with pytest.raises(ValidationError, match="Proposition envoyée"):
        send(world, case, other_offer)


def test_accept_then_confirm_places_the_pupil(
    world, case, offer, mailoutbox, django_capture_on_commit_callbacks
):
    proposal = send(world, case, offer)
    link = services.proposal_from_token(services.proposal_token(proposal))
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_accept(proposal=link, answered_by_name="Claire Dupuis", note="Bienvenue")
    assert slot_counts(offer) == (0, 1)
    deliver_outbox()
    accepted = mailoutbox[-1]
    assert world.users["teacher"].email in accepted.to and "confirmez" in accepted.subject
    with pytest.raises(ValidationError, match="n'est pas possible dans l'état « Acceptée"):
        services.proposal_accept(proposal=link)
    with pytest.raises(PermissionDenied):
        services.proposal_confirm(user=world.users["hub_member"], proposal=proposal)
    placement = services.proposal_confirm(user=world.users["head_of_school"], proposal=proposal)
    case.refresh_from_db()
    assert case.state == CaseState.PLACED and case.placed_at and case.closed_at
    # The stage is in the pupil's parcours Avenir without anyone typing it.
    (experience,) = Experience.objects.filter(credits__pupil=case.pupil)
    assert (experience.source, experience.kind, experience.items) == (
        Source.POLE,
        "stage_3e",
        [Item.INTERNSHIP],
    )
    assert (experience.date, experience.organisation) == (WEEK, world.company)
    assert experience.source_ref == f"internships.placement:{placement.pk}"
    assert (placement.start, placement.end) == (WEEK, WEEK + datetime.timedelta(days=4))
    assert [(s.transition, s.to_state) for s in case.journal.all()][-3:] == [
        ("proposer", "proposal_sent"),
        ("accord_entreprise", "proposal_sent"),
        ("placer", "placed"),
    ]
    lines = [(line.transition, line.to_state, line.by) for line in proposal.journal.all()]
    assert lines == [
        ("envoyer", "sent", world.users["hub_member"]),
        ("accepter", "accepted", None),  # the company, through its link
        ("confirmer", "confirmed", world.users["head_of_school"]),
    ]
    text = " ".join(pdf_text(agreement_pdf(placement).content).split())
    for expected in (
        "Convention de stage",
        case.pupil.last_name,
        world.company.name,
        world.school.name,
        "représentant légal",
        "L. 4153-1",
        "2 février 2026",
        "6 février 2026",
    ):
        assert expected in text, expected
    assert "Le chef d'établissement" in text and "La structure d'accueil" in text


def test_refusal_frees_the_place_and_requeues(
    world, case, offer, mailoutbox, django_capture_on_commit_callbacks
):
    proposal = send(world, case, offer)
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_refuse(proposal=proposal, answered_by_name="Claire", note="Fermé")
    assert slot_counts(offer) == (0, 0)
    offer.refresh_from_db()
    case.refresh_from_db()
    assert offer.state == OfferState.PUBLISHED and case.state == CaseState.REFERRED
    deliver_outbox()
    assert "refusée" in mailoutbox[-1].subject


def test_expiry_frees_the_place(world, case, offer):
    proposal = send(world, case, offer)
    assert services.proposals_expire(now=proposal.expires_at - datetime.timedelta(seconds=1)) == 0
    assert services.proposals_expire(now=proposal.expires_at) == 1
    proposal.refresh_from_db()
    case.refresh_from_db()
    assert proposal.state == ProposalState.EXPIRED and slot_counts(offer) == (0, 0)
    assert case.state == CaseState.REFERRED
    assert services.proposals_expire(now=proposal.expires_at) == 0
    with pytest.raises(ValidationError):
        services.proposal_accept(proposal=proposal)


def test_a_late_answer_is_refused(world, case, offer):
    proposal = send(world, case, offer)
    with pytest.raises(ValidationError, match="délai de réponse"):
        services.proposal_accept(proposal=proposal, now=proposal.expires_at)
    assert slot_counts(offer) == (1, 0)


def test_cancel_by_pole_and_by_school(world, case, offer):
    proposal = send(world, case, offer)
    with pytest.raises(PermissionDenied):  # the school only turns down an accepted proposal
        services.proposal_cancel(user=world.users["teacher"], proposal=proposal)
    services.proposal_cancel(user=world.users["hub_member"], proposal=proposal, note="Erreur")
    assert slot_counts(offer) == (0, 0)
    proposal = send(world, case, offer)
    services.proposal_accept(proposal=proposal)
    services.proposal_cancel(user=world.users["teacher"], proposal=proposal, note="Déménagement")
    proposal.refresh_from_db()
    case.refresh_from_db()
    assert proposal.state == ProposalState.CANCELLED and slot_counts(offer) == (0, 0)
    assert case.state == CaseState.REFERRED


def test_withdrawing_a_case_cancels_its_proposal(world, case, offer):
    send(world, case, offer)
    services.case_move(
        user=world.users["teacher"],
        case=case,
        step="retirer",
        note="Stage trouvé par la famille",
    )
    assert slot_counts(offer) == (0, 0)
    assert case.proposals.get().state == ProposalState.CANCELLED


REFUSED = [
    (state, name)
    for state in ProposalState
    for name in PROPOSAL_WORKFLOW.by_name
    if name not in {t.name for t in PROPOSAL_WORKFLOW.allowed_from(state)}
]


@pytest.mark.parametrize(("before", "name"), REFUSED, ids=[f"{a}-{b}" for a, b in REFUSED])
def test_every_refused_proposal_move(world, case, offer, before, name):
    proposal = send(world, case, offer)
    Proposal = type(proposal)
    Proposal.objects.filter(pk=proposal.pk).update(
        state=before, answered_at=timezone.now(), confirmed_at=timezone.now()
    )
    proposal.refresh_from_db()
    school, member = world.users["head_of_school"], world.users["hub_member"]
    may_fire = PROPOSAL_WORKFLOW.transition(name).may_fire
    user = next((u for u in (member, school) if may_fire(u, proposal)), None)
    with pytest.raises(ValidationError, match="n'est pas possible dans l'état"):
        PROPOSAL_WORKFLOW.fire(proposal, name, user=user)
    assert proposal.journal.count() == 1  # the sending only


def test_the_company_answers_through_its_link_only(world, case, offer):
    proposal = send(world, case, offer)
    with pytest.raises(PermissionDenied, match="par le lien qu'elle a reçu"):
        PROPOSAL_WORKFLOW.fire(proposal, "accepter", user=world.users["organisation_rep"])
    assert PROPOSAL_WORKFLOW.names(None, proposal) == {"accepter", "refuser"}
    assert PROPOSAL_WORKFLOW.names(world.users["hub_member"], proposal) == {
        "annuler",
        "dossier_clos",
    }
    # The school turns down an accepted proposal only.
    assert "annuler" not in PROPOSAL_WORKFLOW.names(world.users["teacher"], proposal)


def test_links_are_signed_and_expire(world, case, offer):
    proposal = send(world, case, offer)
    token = services.proposal_token(proposal)
    with pytest.raises(services.LinkError, match="pas valide"):
        services.proposal_from_token(token[:-2] + "xx")
    signer = signing.TimestampSigner(salt="relais.internships.proposal")
    # A link signed 40 days ago: the timestamp is part of the signed value.
    sent = int((timezone.now() - datetime.timedelta(days=40)).timestamp())
    old_token = signing.Signer.sign(
        signer, f"{proposal.pk}.{proposal.nonce}{signer.sep}{signing.b62_encode(sent)}"
    )
    with pytest.raises(services.LinkError, match="expiré"):
        services.proposal_from_token(old_token)
    forged = signer.sign(f"{proposal.pk}.0000")
    with pytest.raises(services.LinkError, match="n'existe plus"):
        services.proposal_from_token(forged)


def test_host_feedback_once_after_the_internship(
    world, case, offer, mailoutbox, django_capture_on_commit_callbacks
):
    proposal = send(world, case, offer)
    services.proposal_accept(proposal=proposal)
    placement = services.proposal_confirm(user=world.users["teacher"], proposal=proposal)
    assert services.feedback_requests_send(today=placement.end) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            services.feedback_requests_send(today=placement.end + datetime.timedelta(days=1)) == 1
        )
        assert (
            services.feedback_requests_send(today=placement.end + datetime.timedelta(days=2)) == 0
        )
    deliver_outbox()
    assert "de nouveau" in mailoutbox[-1].subject
    token = mailoutbox[-1].body.split("/stages/avis/")[1].split("/")[0]
    found = services.placement_from_feedback_token(token)
    services.feedback_record(placement=found, would_host_again=True, comment="Très bien")
    with pytest.raises(ValidationError, match="déjà été enregistré"):
        services.feedback_record(placement=found, would_host_again=False)
    assert HostFeedback.objects.get().would_host_again


def test_placements_confirmed_before_the_parcours_are_credited_once_by_migration(
    world, case, offer
):
    """internships 0010 credits the placements made before the parcours existed."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("relais.internships.migrations.0010_credit_past_placements")
    proposal = send(world, case, offer)
    services.proposal_accept(proposal=proposal, answered_by_name="Claire Dupuis")
    placement = services.proposal_confirm(user=world.users["head_of_school"], proposal=proposal)
    Experience.objects.all().delete()  # as if confirmed before the parcours existed
    migration.credit(apps, None)
    migration.credit(apps, None)  # a second run changes nothing
    (experience,) = Experience.objects.all()
    assert experience.source_ref == f"internships.placement:{placement.pk}"
    assert list(experience.credits.values_list("pupil_id", flat=True)) == [case.pupil_id]
    assert (experience.kind, experience.items, experience.date) == (
        "stage_3e",
        [Item.INTERNSHIP],
        WEEK,
    )
