"""Pages of the volunteers area: the public sign-up, forms that keep what was typed, the
lettre de mission downloads, exports, and frozen SQL query counts for every list and detail
page at two data sizes."""

import re
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import timezone

from relais.documents.rendering import docx_text
from relais.users.enums import Role
from relais.users.models import Membership
from relais.volunteers.enums import AdvisorState, ApplicationState
from relais.volunteers.models import Advisor, ReserveApplication
from relais.www.volunteers.views_reserve import SIGNUP_LIMIT_PER_HOUR
from tests.factories import CommuneFactory, EstablishmentFactory, make_user
from tests.mail import deliver_outbox

from ..volunteers.factories import (
    AdvisorFactory,
    CourseFactory,
    ImmersionApplicationFactory,
    ImmersionOfferFactory,
    InterventionFactory,
    ParticipantFactory,
    ReserveApplicationFactory,
    ReserveRequestFactory,
)
from . import test_matrix_volunteers

vworld = test_matrix_volunteers.vworld  # the world extended with volunteers' objects


@pytest.fixture
def commune(world):
    return CommuneFactory(
        name="Castelnau-le-Lez", postal_code="34170", insee_code="34057",
        departement__academie=world.home, search_text="castelnau le lez 34170",
    )  # fmt: skip


def _signup(**overrides):
    data = {
        "first_name": "Nadia", "last_name": "Ferrand", "email": "nadia@exemple.fr",
        "profession": "Cheffe de chantier", "skills": ["metier"], "availability": ["mercredi"],
        "commune": "Castelnau-le-Lez (34170)", "max_distance_km": "25", "charter_accepted": "on",
        "confidentiality_accepted": "on",
    }  # fmt: skip
    data.update(overrides)
    return data


@pytest.fixture(autouse=True)
def _clear_rate_limit():
    cache.clear()


def test_public_signup_creates_an_application(world, client, commune):
    response = client.post("/benevoles/reserve/inscription/", _signup())
    assert response.status_code == 302
    assert response["Location"] == "/benevoles/reserve/inscription/merci/"
    application = ReserveApplication.objects.get()
    assert application.academie == world.home and application.commune == commune
    assert "nadia@exemple.fr" in client.get(response["Location"]).content.decode()


def _without_csrf(body: bytes) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body.decode())


def _signup_answer(client, data):
    """The answer to a sign-up and the page it leads to, CSRF tokens aside."""
    response = client.post("/benevoles/reserve/inscription/", data)
    answer = (response.status_code, response.get("Location"), _without_csrf(response.content))
    page = client.get(response["Location"]) if response.status_code == 302 else response
    return answer, (page.status_code, _without_csrf(page.content))


def test_signup_does_not_tell_whether_an_address_has_applied(world, commune):
    """Issue 17, item 3: the same status and page for a new and a known address; nothing is
    written for the known one, whose owner is e-mailed instead."""
    from django.test import Client

    from relais.core.models import Notification

    new = _signup_answer(Client(), _signup())
    application = ReserveApplication.objects.get()
    notifications = Notification.objects.count()
    known = _signup_answer(Client(), _signup(email="NADIA@exemple.fr", first_name="Autre"))
    assert known == new
    assert new[0][:2] == (302, "/benevoles/reserve/inscription/merci/")
    assert "nadia@exemple.fr" in new[1][1]
    assert list(ReserveApplication.objects.all()) == [application]
    assert application.journal.count() == 1
    assert Notification.objects.count() == notifications + 1
    owner_mail = Notification.objects.get(key__contains="signup-again")
    assert owner_mail.recipients == ["nadia@exemple.fr"]


def test_signup_errors_are_the_same_for_a_known_address(world, commune):
    from django.test import Client

    ReserveApplicationFactory(academie=world.home, commune=commune, email="nadia@exemple.fr")
    known = _signup_answer(Client(), _signup(charter_accepted=""))
    new = _signup_answer(Client(), _signup(email="autre@exemple.fr", charter_accepted=""))
    assert known[0][0] == new[0][0] == 400
    assert known[0][2].replace("nadia@", "autre@") == new[0][2]


def test_signup_errors_keep_what_was_typed(world, client, commune):
    response = client.post("/benevoles/reserve/inscription/", _signup(charter_accepted=""))
    assert response.status_code == 400
    assert "charter_accepted" in response.context["form"].errors
    assert 'value="Cheffe de chantier"' in response.content.decode()
    response = client.post("/benevoles/reserve/inscription/", _signup(commune="Nulle-Part (00000)"))
    assert "Commune introuvable" in response.context["form"].errors["commune"][0]
    assert not ReserveApplication.objects.exists()


def test_signup_refuses_robots_and_floods(world, client, commune):
    response = client.post("/benevoles/reserve/inscription/", _signup(website="http://spam"))
    assert response.status_code == 400 and not ReserveApplication.objects.exists()
    for index in range(SIGNUP_LIMIT_PER_HOUR - 1):
        client.post("/benevoles/reserve/inscription/", _signup(email=f"n{index}@exemple.fr"))
    flooded = client.post("/benevoles/reserve/inscription/", _signup(email="last@exemple.fr"))
    assert flooded.status_code == 429
    assert not ReserveApplication.objects.filter(email="last@exemple.fr").exists()


def test_signup_page_has_the_commune_suggestions_and_charter(world, client, commune):
    body = client.get("/benevoles/reserve/inscription/").content.decode()
    assert 'hx-get="/benevoles/reserve/communes/"' in body
    assert 'href="/benevoles/reserve/charte/"' in body
    options = client.get("/benevoles/reserve/communes/?commune=castel").content.decode()
    assert "Castelnau-le-Lez (34170)" in options


def test_signup_is_csrf_protected(world, commune):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/benevoles/reserve/inscription/", _signup())
    assert response.status_code == 403


def test_team_designates_from_the_page_and_downloads_the_letter(
    vworld, client_for, django_capture_on_commit_callbacks
):
    client = client_for(vworld.world.users["academie_team"])
    advisor = vworld.proposed
    form = client.get(f"/benevoles/conseillers/{advisor.pk}/designer/")
    initial = form.context["form"].initial
    data = {
        "mandate_start": initial["mandate_start"].isoformat(),
        "mandate_end": initial["mandate_end"].isoformat(),
        "mission": "Appui au parcours Avenir",
        "geographic_scope": initial["geographic_scope"],
        "contact_name": "Sophie Daet",
        "contact_email": "sophie@ac.example",
        "contact_phone": "",
    }
    bad = client.post(f"/benevoles/conseillers/{advisor.pk}/designer/", {**data, "mission": ""})
    assert bad.status_code == 400 and 'value="sophie@ac.example"' in bad.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/benevoles/conseillers/{advisor.pk}/designer/", data)
    assert response.status_code == 302
    assert Advisor.objects.get(pk=advisor.pk).state == AdvisorState.DESIGNATED
    deliver_outbox()
    assert mail.outbox[-1].attachments[0][2] == "application/pdf"
    docx = client.get(f"/benevoles/conseillers/{advisor.pk}/lettre-de-mission.docx")
    assert "Appui au parcours Avenir" in docx_text(docx.content)


def test_proposal_form_refuses_an_academie_outside_the_organisation(vworld, client_for):
    """Issue 17, item 2: a representative of two local organisations (one per académie) may
    choose either académie in the form, but each organisation proposes only in its own."""
    w = vworld.world
    rep = make_user(Role.ORGANISATION_REP, w.company)
    Membership.objects.create(user=rep, role=Role.ORGANISATION_REP, organisation=w.company_other)
    data = {
        "organisation": w.company.pk, "academie": w.other.pk, "first_name": "Léa",
        "last_name": "Roux", "email": "lea@btp.example", "status": "artisan",
        "employer_name": "Roux SARL", "sectors": "Menuiserie", "domains": ["jurys"],
    }  # fmt: skip
    client = client_for(rep)
    response = client.post("/benevoles/conseillers/proposer/?type=cet", data)
    assert response.status_code == 400
    assert "n'en fait pas partie" in response.context["form"].errors["academie"][0]
    assert 'value="lea@btp.example"' in response.content.decode()
    assert not Advisor.objects.filter(email="lea@btp.example").exists()
    response = client.post(
        "/benevoles/conseillers/proposer/?type=cet", {**data, "academie": w.home.pk}
    )
    assert response.status_code == 302
    assert Advisor.objects.get(email="lea@btp.example").academie == w.home


def test_organisation_confirms_employer_information(vworld, client_for):
    client = client_for(vworld.world.users["organisation_rep"])
    advisor = vworld.designated
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    client.post(f"/benevoles/conseillers/{advisor.pk}/employeur-informe/", {"informed_on": future})
    assert Advisor.objects.get(pk=advisor.pk).state == AdvisorState.DESIGNATED
    today = timezone.localdate().isoformat()
    client.post(f"/benevoles/conseillers/{advisor.pk}/employeur-informe/", {"informed_on": today})
    assert Advisor.objects.get(pk=advisor.pk).state == AdvisorState.ACTIVE


def test_vetting_from_the_page(vworld, client_for, django_capture_on_commit_callbacks):
    client = client_for(vworld.world.users["academie_team"])
    application = vworld.application
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/benevoles/reserve/candidatures/{application.pk}/valider/")
    application.refresh_from_db()
    assert application.state == ApplicationState.VALIDATED
    deliver_outbox()
    assert "/mot-de-passe-oublie/" in mail.outbox[-1].body


def _buttons(client, url) -> set[str]:
    """The labels of the buttons in the page's main block."""
    body = client.get(url).content.decode()
    body = body[body.index("<main") : body.index("</main>")]
    labels = re.findall(r'class="fr-btn[^"]*"[^>]*>([^<]+)<', body)
    return {label.strip() for label in labels} - {""}


def test_pages_offer_the_actions_of_the_workflow(vworld, client_for):
    """The buttons come from ``WORKFLOW.names(user, obj)``: each person sees the actions they
    may take now, and no more."""
    users = vworld.world.users
    proposed = f"/benevoles/conseillers/{vworld.proposed.pk}/"
    team_buttons = _buttons(client_for(users["academie_team"]), proposed)
    assert {"Désigner", "Refuser", "Retirer la proposition"} <= team_buttons
    rep_buttons = _buttons(client_for(users["organisation_rep"]), proposed)
    assert "Retirer la proposition" in rep_buttons and "Désigner" not in rep_buttons
    designated = f"/benevoles/conseillers/{vworld.designated.pk}/"
    rep = client_for(users["organisation_rep"])
    assert "Information de l'employeur à confirmer" in rep.get(designated).content.decode()
    assert "Confirmer" in _buttons(rep, designated)
    request = f"/benevoles/reserve/sollicitations/{vworld.request.pk}/"
    assert _buttons(client_for(users["volunteer"]), request) == {"Accepter", "Décliner"}
    assert _buttons(client_for(users["teacher"]), request) == {"Annuler la demande"}


def test_the_school_sees_the_reservist_contact_once_accepted(vworld, client_for):
    request, reservist = vworld.request, vworld.reservist
    url = f"/benevoles/reserve/sollicitations/{request.pk}/"
    teacher = client_for(vworld.world.users["teacher"])
    assert reservist.email not in teacher.get(url).content.decode()
    client_for(vworld.world.users["volunteer"]).post(f"{url}accepter/", {"note": "Oui"})
    teacher = client_for(vworld.world.users["teacher"])
    page = teacher.get(url).content.decode()
    assert reservist.email in page and "Contact du réserviste" in page
    assert _buttons(teacher, url) == {"Enregistrer l'intervention réalisée", "Annuler la demande"}


def test_each_side_validates_an_immersion_once_from_the_page(vworld, client_for):
    team = client_for(vworld.world.users["academie_team"])
    url = f"/benevoles/immersions/{vworld.offer.pk}/"
    assert {"Valider", "Refuser"} <= _buttons(team, url)
    team.post(f"/benevoles/immersions/candidatures/{vworld.immersion.pk}/valider/")
    buttons = _buttons(team, url)
    assert "Refuser" in buttons and "Valider" not in buttons  # the académie has validated
    assert "Valider" in _buttons(client_for(vworld.world.users["organisation_rep"]), url)


def test_exports(vworld, client_for):
    client = client_for(vworld.world.users["academie_team"])
    csv = client.get("/benevoles/conseillers/export/")
    body = b"".join(csv.streaming_content).decode("utf-8-sig")
    assert body.splitlines()[0].startswith("Type;Nom;Prénom")
    assert vworld.active.last_name in body and vworld.advisor_other.last_name not in body
    xlsx = client.get("/benevoles/reserve/candidatures/export/?format=xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    nominative = client.get("/benevoles/conseillers/liste-nominative/csv/")
    assert vworld.active.last_name in b"".join(nominative.streaming_content).decode("utf-8-sig")


# --- Frozen query counts ----------------------------------------------------------------------


def _grow(v, n):
    """``n`` more of everything, each with its own related rows (any N+1 would show)."""
    w, users = v.world, v.world.users
    for _ in range(n):
        advisor = AdvisorFactory(
            academie=w.home, organisation=v.active.organisation, agreement=v.active.agreement,
            active=True,
        )  # fmt: skip
        InterventionFactory(advisor=advisor, establishment=EstablishmentFactory(academie=w.home))
        reservist = ReserveApplicationFactory(
            academie=w.home, commune=v.reservist.commune, validated=True
        )
        ReserveApplicationFactory(academie=w.home)
        ReserveRequestFactory(
            reservist=reservist, establishment=w.school, requested_by=users["teacher"]
        )
        offer = ImmersionOfferFactory(organisation=w.company)
        ImmersionApplicationFactory(offer=offer, applicant=make_user(), establishment=w.school)
        ImmersionApplicationFactory(offer=v.offer, applicant=make_user(), establishment=w.school)
        course = CourseFactory(academie=w.home)
        ParticipantFactory(course=course)
        ParticipantFactory(course=v.course)


PAGES = [
    ("academie_team", lambda v: "/benevoles/conseillers/", 7),
    ("academie_team", lambda v: "/benevoles/conseillers/interventions/", 8),
    ("academie_team", lambda v: "/benevoles/conseillers/engagements/", 6),
    ("academie_team", lambda v: "/benevoles/conseillers/liste-nominative/", 7),
    ("academie_team", lambda v: "/benevoles/reserve/candidatures/", 6),
    ("teacher", lambda v: "/benevoles/reserve/?radius=100", 6),
    ("teacher", lambda v: "/benevoles/reserve/sollicitations/", 6),
    ("teacher", lambda v: "/benevoles/immersions/", 5),
    ("academie_team", lambda v: "/benevoles/immersions/candidatures/", 5),
    ("academie_team", lambda v: "/benevoles/parcours-56h/", 4),
    ("academie_team", lambda v: f"/benevoles/parcours-56h/{v.course.pk}/", 5),
    ("academie_team", lambda v: "/benevoles/parcours-56h/en-retard/", 4),
    # + seats, interventions in collèges, pupils credited (issue 15, item 3)
    ("academie_team", lambda v: f"/benevoles/conseillers/{v.active.pk}/", 10),
    ("academie_team", lambda v: f"/benevoles/reserve/candidatures/{v.application.pk}/", 5),
    ("teacher", lambda v: f"/benevoles/reserve/sollicitations/{v.request.pk}/", 5),
    ("academie_team", lambda v: f"/benevoles/immersions/{v.offer.pk}/", 5),
]


@pytest.mark.parametrize("extra", [1, 6])
@pytest.mark.parametrize(("role", "build", "queries"), PAGES)
def test_page_query_counts(
    vworld, client_for, django_assert_num_queries, extra, role, build, queries
):
    _grow(vworld, extra)
    client = client_for(vworld.world.users[role])
    # Session, user, memberships, then the page's own queries.
    with django_assert_num_queries(queries):
        assert client.get(build(vworld)).status_code == 200


def test_course_page_shows_who_is_late(vworld, client_for, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda: date(2026, 3, 2))
    late = vworld.participant  # no hours after the preparation's end (27/02/2026)
    client = client_for(vworld.world.users["academie_team"])
    body = client.get(f"/benevoles/parcours-56h/{vworld.course.pk}/?retard=1").content.decode()
    assert late.full_name in body and "En retard" in body
    listed = client.get("/benevoles/parcours-56h/en-retard/?format=csv")
    assert late.full_name in b"".join(listed.streaming_content).decode("utf-8-sig")
