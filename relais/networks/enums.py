from django.db import models


class MandateRole(models.TextChoices):
    """The two co-animators of a club (convention Clubster, académie de Lille)."""

    REFERENT = "referent", "Référent école-entreprise (Éducation nationale)"
    PILOTE = "pilote", "Pilote école-entreprise (monde économique)"


class ByRight(models.TextChoices):
    """Members by right of every club (issue 5): they are replaced, never removed."""

    NONE = "", "Non"
    POLE_ANIMATOR = "animateur_pole", "Animateur ou animatrice du pôle de stages"
    CIO_DIRECTOR = "directeur_cio", "Directeur ou directrice du CIO"


class CampusMemberKind(models.TextChoices):
    SCHOOL = "etablissement", "Établissement scolaire ou CFA"
    HIGHER_EDUCATION = "superieur", "Enseignement supérieur ou recherche"
    COMPANY = "entreprise", "Entreprise ou branche professionnelle"
    COMMUNITY = "collectivite", "Collectivité territoriale"
    OTHER = "autre", "Autre partenaire"
