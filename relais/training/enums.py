"""States and choices of the training app (the transitions are in ``workflows``).

CPME Île-de-France, art. 2.5: the académies and the CPME « procéderont à un état des lieux
des formations par apprentissage correspondant aux secteurs d'activité des PME de la
région » and « se concerteront chaque fois que sera envisagée l'ouverture, la
transformation ou la fermeture d'une section de formation par apprentissage ». Art. 2.2:
the CASNAV's CVs of young migrants circulated to the CPME's member companies.
"""

from django.db import models

from relais.nomenclatures.enums import ROME_DOMAIN_CHOICES, ROME_DOMAINS

# The sectors of a section and of a métier en tension: the ROME's grands domaines.
SECTORS = ROME_DOMAINS
SECTOR_CHOICES = ROME_DOMAIN_CHOICES


class DiplomaLevel(models.TextChoices):
    CAP = "cap", "CAP"
    BAC_PRO = "bac_pro", "Baccalauréat professionnel"
    BP = "bp", "Brevet professionnel"
    MC = "mc", "Mention complémentaire"
    BTS = "bts", "BTS"
    OTHER = "autre", "Autre titre"


class SectionStatus(models.TextChoices):
    """How the section trains: school status, apprenticeship, or both (mixed classes)."""

    SCHOOL = "scolaire", "Voie scolaire"
    APPRENTICESHIP = "apprentissage", "Apprentissage"
    MIXED = "mixte", "Mixte (scolaires et apprentis)"


class SectionState(models.TextChoices):
    OPEN = "ouverte", "Ouverte"
    CLOSED = "fermee", "Fermée"


class ChangeKind(models.TextChoices):
    OPEN = "ouverture", "Ouverture"
    TRANSFORM = "transformation", "Transformation"
    CLOSE = "fermeture", "Fermeture"


class ChangeState(models.TextChoices):
    DRAFT = "brouillon", "En préparation"
    CONSULTATION = "consultation", "En concertation"
    ADOPTED = "adoptee", "Décidée"
    REJECTED = "rejetee", "Non retenue"
    ABANDONED = "abandonnee", "Abandonnée"


class Opinion(models.TextChoices):
    FAVOURABLE = "favorable", "Favorable"
    UNFAVOURABLE = "defavorable", "Défavorable"
    RESERVED = "reserve", "Réservé"


class ConsentGiver(models.TextChoices):
    YOUNG = "jeune", "Le jeune (majeur)"
    GUARDIAN = "representant", "Son représentant légal (mineur)"


class FrenchLevel(models.TextChoices):
    A1 = "A1", "A1 (découverte)"
    A2 = "A2", "A2 (intermédiaire)"
    B1 = "B1", "B1 (seuil)"
    B2 = "B2", "B2 (avancé)"


class AnswerState(models.TextChoices):
    """A company's answer to a CV, up to the written promise the préfecture asks for (art.
    2.2: « qu'un employeur se dise prêt, par écrit, à signer un contrat d'apprentissage ou un
    contrat d'embauche ») and the contract signed."""

    INTEREST = "interet", "Intéressée"
    INTERVIEW = "entretien", "Entretien"
    PROMISE = "promesse", "Promesse écrite"
    CONTRACT = "contrat", "Contrat signé"
    DROPPED = "sans_suite", "Sans suite"


class ContractKind(models.TextChoices):
    APPRENTICESHIP = "apprentissage", "Contrat d'apprentissage"
    EMPLOYMENT = "embauche", "Contrat de travail"


# The order of the outcome: the furthest step any company reached with the young person.
OUTCOME_ORDER = [
    AnswerState.INTEREST,
    AnswerState.INTERVIEW,
    AnswerState.PROMISE,
    AnswerState.CONTRACT,
]
