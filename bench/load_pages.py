"""The pages each demo role walks in the load test (``bench/locustfile.py``) and whose SQL
queries ``bench/bench_queries.py`` counts: the main pages of each role, only those the role
may open (a 403 would measure nothing).

A page is ``(label, path)``; ``{convention}`` is replaced by a convention the user sees (taken
from the first page of their list), ``{q}`` by a search word.
"""

from __future__ import annotations

PASSWORD_ENV = "RELAIS_DEMO_PASSWORD"
DEMO_PASSWORD = "Relais-Demo-2026!"
DOMAIN = "demo.relais.example"

COMMON = [
    ("établissements : liste", "/etablissements/"),
    ("établissements : recherche", "/etablissements/?q={school_q}"),
    ("organisations : liste", "/organisations/"),
    ("organisations : recherche", "/organisations/?q={org_q}"),
    ("conventions : liste", "/conventions/"),
    ("conventions : échéances", "/conventions/echeances/"),
    ("conventions : fiche", "/conventions/{convention}/"),
    ("stages : offres", "/stages/offres/"),
    ("réseaux : clubs", "/reseaux/"),
    ("actions : catalogue", "/actions/"),
    ("bénévoles : conseillers", "/benevoles/conseillers/"),
]
# The school's roster (its staff only since the pupils have their own pages) and the cases.
ROSTER = [("élèves : liste", "/eleves/")]
CASES = [("stages : dossiers", "/stages/dossiers/")]
RESERVE = [("bénévoles : réserve", "/benevoles/reserve/")]
HUB_HOME = [("stages : accueil", "/stages/")]

# role label, demo account, extra pages
ROLES = {
    "admin": ("administration nationale", "admin", RESERVE),
    "daet": ("DAET Montpellier", "daet.montpellier", RESERVE + HUB_HOME),
    "referent": ("référent de bassin", "referent.bassin", HUB_HOME),
    "pole": ("membre du pôle", "pole.stages", HUB_HOME + CASES),
    "principal": ("chef d'établissement", "principal", ROSTER + CASES),
    "enseignant": ("enseignant", "enseignant", ROSTER + CASES),
    "cpme": ("CPME Occitanie", "cpme.occitanie", []),
}
# Share of the simulated users per role (an académie has more teachers than DAET members).
WEIGHTS = {
    "admin": 1,
    "daet": 3,
    "referent": 2,
    "pole": 3,
    "principal": 2,
    "enseignant": 4,
    "cpme": 1,
    "api": 2,
}
API_ROLES = ("daet", "pole", "cpme", "admin")
API = [
    ("API : établissements", "/api/v1/etablissements/"),
    ("API : organisations", "/api/v1/organisations/"),
    ("API : conventions", "/api/v1/conventions/"),
    ("API : offres de stage", "/api/v1/stages/offres/"),
    ("API : clubs", "/api/v1/clubs/"),
]
SCHOOL_WORDS = ["jean", "moulin", "college", "lycee pro", "ferry", "0301", "nimes", "beziers"]
ORG_WORDS = ["boulangerie", "garage", "martin", "restaurant", "9999", "montpellier", "cpme"]


def email(role: str) -> str:
    return f"{ROLES[role][1]}@{DOMAIN}"


def pages(role: str) -> list[tuple[str, str]]:
    """Every page of ``role``, the dashboard first (labelled with the role: it differs)."""
    label, _, extra = ROLES[role]
    return [(f"tableau de bord : {label}", "/")] + COMMON + extra
