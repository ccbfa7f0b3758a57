"""Pages of the pôles de stages: forms, import, exports (journaled), the company's signed link,
the convention PDF, what an organisation sees, and frozen query counts at two data sizes."""

import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from relais.documents.rendering import pdf_text
from relais.internships import services
from relais.internships.enums import CaseState, ProposalState
from relais.internships.models import PlacementCase
from relais.internships.services.matching import run_create
from relais.pupils.models import Pupil
from relais.users.models import PersonalDataAccess
from tests.internships.factories import (
    WEEK,
    HubFactory,
    OfferFactory,
    PeriodFactory,
    RomeCodeFactory,
    SlotFactory,
    open_case,
    published_offer,
    referred_case,
)
from tests.pupils.factories import PupilFactory


@pytest.fixture
def hub(world):
    RomeCodeFactory(code="H2201")
    return HubFactory(bassin=world.bassin)


def test_case_form_redisplays_typed_values_with_french_errors(world, hub, client_for):
    """« Ouvrir un dossier de recherche de stage » on a pupil of the roster: the search data,
    checked by the service, then the school corrects it on the case."""
    RomeCodeFactory(code="D1106")
    pupil = PupilFactory(establishment=world.school, first_name="Inès")
    period = PeriodFactory(establishment=world.school)
    client = client_for(world.users["teacher"])
    path = f"/stages/dossiers/ouvrir/{pupil.pk}/"
    page = client.get(path).content.decode()
    assert "Ouvrir un dossier de recherche de stage : Inès" in page
    response = client.post(path, {"period": period.pk, "wishes": "H22, ZZ9", "max_km": "10"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "« ZZ9 » n&#x27;est pas une famille de métiers ROME" in html
    assert 'value="H22, ZZ9"' in html
    assert not PlacementCase.objects.exists()
    response = client.post(path, {"period": period.pk, "wishes": "H22", "max_km": "10"})
    case = PlacementCase.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/stages/dossiers/{case.pk}/"
    assert (case.state, case.period, case.wishes) == (CaseState.SEARCHING_ALONE, period, ["H22"])
    page = client.get(f"/eleves/{pupil.pk}/").content.decode()
    assert f"/stages/dossiers/{case.pk}/" in page
    assert "Ouvrir un dossier de recherche de stage" not in page  # one open case at a time
    page = client.get(f"/stages/dossiers/{case.pk}/").content.decode()
    assert f"/stages/dossiers/{case.pk}/recherche/" in page
    response = client.post(
        f"/stages/dossiers/{case.pk}/recherche/",
        {"period": period.pk, "wishes": "D11, H22", "max_km": "25", "needs_access": "on"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.wishes, case.max_km, case.needs_access) == (["D11", "H22"], 25, True)


def test_import_page_lists_the_bad_lines(world, hub, client_for):
    client = client_for(world.users["head_of_school"])
    content = b"nom;prenom;classe;niveau\nDemo;Lina;3e B;3e\nDemo;Noah;3e B;9e\n"
    response = client.post(
        "/stages/dossiers/importer/",
        {"establishment": world.school.pk, "file": SimpleUploadedFile("e.csv", content)},
    )
    assert response.status_code == 400
    assert "Ligne 3, colonne « niveau » : niveau « 9e » inconnu" in response.content.decode()
    assert not Pupil.objects.exists()
    content = b"nom;prenom;classe;niveau\nDemo;Lina;3e B;3e\n"
    response = client.post(
        "/stages/dossiers/importer/",
        {"establishment": world.school.pk, "file": SimpleUploadedFile("e.csv", content)},
    )
    assert response.status_code == 302 and response["Location"] == "/stages/dossiers/"
    assert Pupil.objects.count() == 1 and PlacementCase.objects.count() == 1
    template = client.get("/stages/dossiers/modele.csv").content.decode()
    assert template.lstrip("\ufeff").startswith("nom;prenom;classe;niveau;voeux")


def test_exports_of_pupil_data_are_journaled(world, hub, client_for):
    referred_case(world.school, world.users["teacher"])
    client = client_for(world.users["hub_member"])
    csv = b"".join(client.get("/stages/dossiers/export/").streaming_content).decode()
    assert csv.count("\n") == 2 and "Orienté vers le pôle" in csv
    teacher = client_for(world.users["teacher"])
    response = teacher.get("/eleves/export/", {"format": "xlsx", "annee": "2025"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]][:3] == ["Établissement", "UAI", "Année scolaire"]
    assert sheet.max_row == 2
    log = list(
        PersonalDataAccess.objects.order_by("at").values_list(
            "user", "purpose", "data", "fmt", "rows"
        )
    )
    member, teacher = world.users["hub_member"].pk, world.users["teacher"].pk
    assert log == [(member, "export", "cases", "csv", 1), (teacher, "export", "pupils", "xlsx", 1)]


def test_the_old_pupil_pages_lead_to_the_new_ones(world, hub, client_for):
    case = referred_case(world.school, world.users["teacher"])
    client = client_for(world.users["teacher"])
    assert client.get("/stages/eleves/")["Location"] == "/eleves/"
    response = client.get(f"/stages/eleves/{case.pupil_id}/")
    assert response.status_code == 301 and response["Location"] == f"/eleves/{case.pupil_id}/"


def test_the_company_answers_through_its_link_without_an_account(world, hub, client):
    case = referred_case(world.school, world.users["teacher"])
    offer = published_offer(world.bassin, world.company)
    proposal = services.proposal_send(
        user=world.users["hub_member"], case=case, slot=offer.slots.get()
    )
    path = f"/stages/reponse/{services.proposal_token(proposal)}/"
    page = client.get(path).content.decode()
    assert case.pupil.first_name in page and case.pupil.last_name not in page
    response = client.post(path, {"decision": "accept", "name": "", "note": ""})
    assert response.status_code == 400 and "Ce champ est obligatoire" in response.content.decode()
    response = client.post(path, {"decision": "accept", "name": "Claire Dupuis", "note": "Oui"})
    assert response.status_code == 200
    assert "L'établissement confirme le stage" in response.content.decode().replace("&#x27;", "'")
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.ACCEPTED and proposal.answered_by_name == "Claire Dupuis"
    assert client.get("/stages/reponse/abc:def/").status_code == 404


def test_confirm_then_download_the_convention(world, hub, client_for):
    case = referred_case(world.school, world.users["teacher"])
    offer = published_offer(world.bassin, world.company)
    proposal = services.proposal_send(
        user=world.users["hub_member"], case=case, slot=offer.slots.get()
    )
    services.proposal_accept(proposal=proposal)
    client = client_for(world.users["teacher"])
    assert client.post(f"/stages/propositions/{proposal.pk}/confirmer/").status_code == 302
    response = client.get(f"/stages/propositions/{proposal.pk}/convention.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(response.content).split())
    assert f"{case.pupil.first_name} {case.pupil.last_name}" in text
    assert "Premier représentant légal de l'élève" in text and world.company.name in text
    logged = PersonalDataAccess.objects.get(data="agreement")
    assert (logged.purpose, logged.about) == ("export", f"internships.placementcase:{case.pk}")


def test_an_organisation_sees_first_name_and_class_only(world, hub, client_for):
    case = referred_case(world.school, world.users["teacher"])
    offer = published_offer(world.bassin, world.company)
    services.proposal_send(user=world.users["hub_member"], case=case, slot=offer.slots.get())
    page = client_for(world.users["organisation_rep"]).get("/stages/propositions/").content.decode()
    assert case.pupil.first_name in page and case.pupil.class_label in page
    assert case.pupil.last_name not in page and f"/stages/dossiers/{case.pk}/" not in page


def test_engine_run_page_shows_both_methods_and_sends(world, hub, client_for):
    case = referred_case(world.school, world.users["teacher"])
    offer = published_offer(world.bassin, world.company)
    client = client_for(world.users["hub_member"])
    response = client.post(
        "/stages/calculs/",
        {"hub": hub.pk, "window_start": "2026-01-26", "window_end": "2026-02-13"},
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Moteur optimal" in page and "Premier arrivé, premier servi" in page
    assert f"l&#x27;offre « {offer.title} » de {world.company.name}" in page
    run_path = response["Location"]
    assert client.post(f"{run_path}envoyer/").status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.PROPOSAL_SENT


def test_run_page_shows_the_policy_the_range_the_changes_and_the_advice(world, hub, client_for):
    """Issue 12: the pôle chooses the fairness rule and sees where the run sits."""
    for _ in range(3):
        referred_case(world.school, world.users["teacher"])
    published_offer(world.bassin, world.company, capacity=1)
    client = client_for(world.users["hub_member"])
    form = client.get("/stages/calculs/").content.decode()
    assert "Règle d&#x27;équité" in form and "Parité" in form
    window = {"hub": hub.pk, "window_start": "2026-01-26", "window_end": "2026-02-13"}
    client.post("/stages/calculs/", {**window, "policy": "strict"})
    response = client.post("/stages/calculs/", window)
    page = client.get(response["Location"]).content.decode()
    assert "Équité : parité" in page
    assert "peut aller de 1 à 1 (sur 3)" in page
    assert "Depuis le calcul précédent" in page and "même place qu&#x27;au calcul" in page
    assert "Où chercher des places" in page and "seraient placés avec 2 places" in page


# --- frozen query counts -------------------------------------------------------------------


def _more(world, hub, n):
    teacher = world.users["teacher"]
    for i in range(n):
        case = referred_case(world.school, teacher, qpv=bool(i % 2))
        offer = published_offer(world.bassin, world.company, capacity=2)
        if i % 3 == 0:
            services.proposal_send(
                user=world.users["hub_member"], case=case, slot=offer.slots.get()
            )
        open_case(world.school, teacher)


# Session, user and memberships (3), then the page's own queries.
PAGES = [
    ("teacher", "/stages/", 6),
    # The queue: its count, one page of it, the count of the cases waiting too long.
    ("hub_member", "/stages/dossiers/", 6),
    ("teacher", "/stages/dossiers/?tous=1", 6),
    ("hub_member", "/stages/offres/", 5),
    ("teacher", "/stages/periodes/", 5),
    ("hub_member", "/stages/propositions/", 6),
    ("organisation_rep", "/stages/propositions/", 6),
    ("hub_member", "/stages/poles/", 5),
    # The runs, and the bassin's periods that pre-fill the engine's dates (issue 14).
    ("hub_member", "/stages/calculs/", 9),
    ("hub_member", "/stages/calendrier/", 9),
    ("teacher", "/stages/indicateurs/?group=etablissement", 4),
]


@pytest.mark.parametrize(("role", "path", "queries"), PAGES)
@pytest.mark.parametrize("n", [2, 12])
def test_list_query_counts(
    world, hub, client_for, django_assert_num_queries, role, path, queries, n
):
    _more(world, hub, n)
    client = client_for(world.users[role])
    with django_assert_num_queries(queries):
        assert client.get(path).status_code == 200


@pytest.mark.parametrize("n", [2, 12])
def test_detail_query_counts(world, hub, client_for, django_assert_num_queries, n):
    _more(world, hub, n)
    teacher, member = world.users["teacher"], world.users["hub_member"]
    case = referred_case(world.school, teacher)
    offer = published_offer(world.bassin, world.company, capacity=n)
    for week in range(1, n):
        services.offer_set_slots(
            user=member, offer=offer, slots={WEEK + datetime.timedelta(weeks=week): 1}
        )
    proposal = services.proposal_send(user=member, case=case, slot=offer.slots.first())
    services.proposal_refuse(proposal=proposal)
    run = run_create(user=member, hub=hub, window_start=WEEK, window_end=WEEK)
    hub_client = client_for(member)
    for path, queries in [  # a pupil's and a case's page also write the access journal
        (f"/stages/dossiers/{case.pk}/", 10),
        (f"/eleves/{case.pupil_id}/", 6),
        (f"/stages/offres/{offer.pk}/", 6),
        (f"/stages/calculs/{run.pk}/", 5),
    ]:
        with django_assert_num_queries(queries):
            assert hub_client.get(path).status_code == 200, path


def test_case_page_moves_and_notes(world, hub, client_for):
    teacher = world.users["teacher"]
    case = open_case(world.school, teacher)
    client = client_for(teacher)
    page = client.get(f"/stages/dossiers/{case.pk}/").content.decode()
    assert "H22 (Industrie)" in page  # a wish with its domain, not a bare ROME code
    # The buttons carry verbs, not the names of the states they reach (issue 14).
    assert re.search(r"<button[^>]*>Confier à l&#x27;équipe pédagogique</button>", page)
    assert "Aidé par l&#x27;équipe pédagogique</button>" not in page
    client.post(f"/stages/dossiers/{case.pk}/etape/aider/", {"note": "CV relu"})
    page = client.get(f"/stages/dossiers/{case.pk}/").content.decode()
    assert "<strong>Confier à l&#x27;équipe pédagogique</strong>" not in page
    assert re.search(r"<button[^>]*>Orienter vers le pôle de stages</button>", page)
    assert "Note jointe à « Orienter vers le pôle de stages » (facultative)" in page
    client.post(f"/stages/dossiers/{case.pk}/etape/orienter/", {"note": ""})
    case.refresh_from_db()
    assert case.state == CaseState.REFERRED
    assert case.journal.get(transition="aider").note == "CV relu"
    response = client.post(f"/stages/dossiers/{case.pk}/etape/aider/", follow=True)
    assert "n'est pas possible dans l'état « Orienté vers" in response.content.decode()
    assert client.post(f"/stages/dossiers/{case.pk}/etape/placer/").status_code == 404
    page = client.get(f"/stages/dossiers/{case.pk}/").content.decode()
    assert "Aidé par l&#x27;équipe pédagogique (" in page  # the journal: step, author
    assert "Retirer le dossier</button>" in page


def test_a_referral_not_possible_yet_says_why(world, hub, client_for):
    """Instead of a button that would fail, the case's page says what the pôle needs."""
    teacher = world.users["teacher"]
    case = open_case(world.school, teacher, wishes=[])
    services.case_move(user=teacher, case=case, step="aider")
    page = client_for(teacher).get(f"/stages/dossiers/{case.pk}/").content.decode()
    assert "Indiquez au moins un vœu (famille de métiers)." in page
    assert not re.search(r"<button[^>]*>Orienter vers le pôle de stages</button>", page)
    assert "<strong>Orienter vers le pôle de stages</strong> : pas encore possible." in page


def test_an_offer_says_why_it_cannot_be_published_yet(world, hub, client_for):
    offer = OfferFactory(bassin=world.bassin, host=world.company)
    client = client_for(world.users["hub_member"])
    page = client.get(f"/stages/offres/{offer.pk}/").content.decode()
    assert "Indiquez au moins une semaine avec des places avant de publier." in page
    assert ">Publier</button>" not in page and "Fermer l'offre</button>" in page
    SlotFactory(offer=offer, week=WEEK)
    page = client.get(f"/stages/offres/{offer.pk}/").content.decode()
    assert ">Publier</button>" in page
    client.post(f"/stages/offres/{offer.pk}/publier/")
    page = client.get(f"/stages/offres/{offer.pk}/").content.decode()
    assert ">Publier</button>" not in page and "— Publiée" in page


def test_anonymised_pupils_are_hidden_on_the_pages_as_in_the_api(world, hub, client_for):
    case = referred_case(world.school, world.users["teacher"], last_name="Oubliée")
    services.pupils_purge_expired(today=case.pupil.retention_until + datetime.timedelta(days=1))
    client = client_for(world.users["teacher"])
    assert "anonymisé" not in client.get("/eleves/?annee=2025").content.decode()
    client = client_for(world.users["hub_member"])
    assert "anonymisé" not in client.get("/stages/dossiers/").content.decode()
    page = client.get(f"/stages/dossiers/{case.pk}/").content.decode()
    assert "Élève anonymisé" in page and "Oubliée" not in page
    assert "Durée de conservation des données échue" in page


def test_calendar_page_has_a_chart_and_its_table(world, hub, client_for):
    PeriodFactory(establishment=world.school, pupil_count=40)
    published_offer(world.bassin, world.company, capacity=10)
    page = client_for(world.users["hub_member"]).get(
        "/stages/calendrier/", {"bassin": world.bassin.pk, "school_year": "2025-2026"}
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert '<svg role="img" aria-labelledby="chart-title chart-desc"' in html
    assert "<caption>Élèves en stage et places par semaine</caption>" in html
    assert re.search(r"2026-S06 \(du 02/02\)</th>\s*<td>40</td>\s*<td>10</td>\s*<td>30</td>", html)
    assert "Concentration" in html


def test_indicators_export(world, hub, client_for):
    referred_case(world.school, world.users["teacher"])
    response = client_for(world.users["academie_team"]).get(
        "/stages/indicateurs/export/", {"format": "xlsx"}
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]][:4] == ["Groupe", "Orientés", "Avec proposition", "Placés"]
    assert [c.value for c in sheet[3]][:2] == ["Total", 1]
    csv = b"".join(
        client_for(world.users["teacher"]).get("/stages/indicateurs/export/").streaming_content
    ).decode()
    assert csv.splitlines()[-1].startswith("Total;1;0;0")


def test_the_run_form_shows_the_engines_window_rule(world, hub, client_for):
    """The 60-week rule is the matching service's; the form shows its French error."""
    client = client_for(world.users["hub_member"])
    window = {"window_start": "2026-01-05", "window_end": "2027-06-01"}
    response = client.post("/stages/calculs/", {"hub": hub.pk, **window})
    assert response.status_code == 400
    assert "Une fenêtre compte au plus 60 semaines." in response.content.decode()
    assert not hub.runs.exists()


def test_manual_proposal_lists_fitting_places_by_distance_and_warns(world, hub, client_for):
    """Issue 12, item 6: only published offers; nearest first with distance and wish rank;
    a place beyond the pupil's limit needs the pôle's confirmation."""
    case = referred_case(world.school, world.users["teacher"], max_km=10)
    school = world.school
    far = published_offer(
        world.bassin, world.company, latitude=school.latitude + 1.17, longitude=school.longitude
    )
    near = published_offer(
        world.bassin, world.company, latitude=school.latitude + 0.02, longitude=school.longitude
    )
    draft = published_offer(world.bassin, world.company)
    draft.state = "draft"
    draft.save(update_fields=["state"])
    client = client_for(world.users["hub_member"])
    page = client.get(f"/stages/dossiers/{case.pk}/").content.decode()
    assert page.index(f'value="{near.slots.get().pk}"') < page.index(
        f'value="{far.slots.get().pk}"'
    )
    assert "2,2 km" in page and "130," in page and "au-delà de sa limite de 10 km" in page
    assert f'value="{draft.slots.get().pk}"' not in page
    path = f"/stages/dossiers/{case.pk}/proposer/"
    response = client.post(path, {"slot": far.slots.get().pk}, follow=True)
    assert "cochez la case pour la proposer quand même" in response.content.decode()
    case.refresh_from_db()
    assert case.state == CaseState.REFERRED
    client.post(path, {"slot": far.slots.get().pk, "confirm": "on"})
    case.refresh_from_db()
    assert case.state == CaseState.PROPOSAL_SENT
