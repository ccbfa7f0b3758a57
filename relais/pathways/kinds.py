"""The default kinds of experience and the items each counts for (Mesure 3: « une visite,
une rencontre, un stage, un projet »), loaded by migration 0002 as the national setting
that each académie may replace (``ExperienceKind``). Codes of the catalogue's action kinds
(``relais.actions.enums.ActionKind``) and of the stages (``relais.internships.enums.
OfferKind``) are reused as they are, so those apps credit pupils without a mapping table of
their own."""

from __future__ import annotations

from .enums import Item

V, M, S, P = Item.VISIT, Item.MEETING, Item.INTERNSHIP, Item.PROJECT

# (code, label, items)
DEFAULT_KINDS: list[tuple[str, str, tuple[Item, ...]]] = [
    ("visite", "Visite d'entreprise", (V,)),
    ("portes_ouvertes", "Journée portes ouvertes, visite d'un lieu de formation", (V,)),
    ("semaine_industrie", "Semaine de l'industrie", (V, M)),
    ("temoignage", "Témoignage en classe", (M,)),
    ("forum", "Forum des métiers", (M,)),
    ("intervention_cee", "Intervention d'un conseiller entreprises pour l'école", (M,)),
    ("intervention_reserve", "Intervention de la réserve citoyenne", (M,)),
    ("jury", "Jury d'examen ou de concours", (M,)),
    ("parrainage", "Parrainage, tutorat", (M,)),
    ("mixite", "Filles et métiers scientifiques et techniques", (M,)),
    ("semaine_ecole_entreprise", "Semaine école-entreprise", (V, M)),
    ("stage_3e", "Stage d'observation de 3e", (S,)),
    ("stage_2nde", "Stage de seconde", (S,)),
    ("pfmp", "Période de formation en milieu professionnel", (S,)),
    ("stage", "Autre stage en milieu professionnel", (S,)),
    ("mini_entreprise", "Mini-entreprise", (P,)),
    ("concours", "Concours", (P,)),
    ("projet_classe", "Projet de classe avec un partenaire", (P,)),
    ("autre", "Autre action", (M,)),
]

# By default (national setting): the four items by the end of 3e, the stage in 3e.
DEFAULT_OBJECTIVES: list[tuple[str, Item]] = [("3e", item) for item in Item]
