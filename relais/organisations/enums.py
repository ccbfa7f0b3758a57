from django.db import models


class OrganisationKind(models.TextChoices):
    PROFESSIONAL = "professionnelle", "Organisation professionnelle"
    COMPANY = "entreprise", "Entreprise"
    ASSOCIATION = "association", "Association"
    PUBLIC_BODY = "organisme_public", "Organisme public"
    # Hosts of young people with a disability (CPME Île-de-France, art. 2.3: « entreprise
    # classique, entreprise adaptée ou ESAT »).
    ADAPTED_COMPANY = "entreprise_adaptee", "Entreprise adaptée"
    ESAT = "esat", "ESAT (établissement et service d'aide par le travail)"


# Kinds of host that employ mainly people with a disability (counted in the indicators).
DISABILITY_HOST_KINDS = (OrganisationKind.ADAPTED_COMPANY, OrganisationKind.ESAT)


class OrganisationLevel(models.TextChoices):
    NATIONAL = "national", "National"
    REGIONAL = "regional", "Régional"
    LOCAL = "local", "Local"


class SizeBand(models.TextChoices):
    """Catégories d'entreprises (décret n° 2008-1354)."""

    UNKNOWN = "", "Non renseignée"
    MICRO = "micro", "Microentreprise (moins de 10 salariés)"
    SME = "pme", "PME (10 à 249 salariés)"
    MID = "eti", "ETI (250 à 4 999 salariés)"
    LARGE = "ge", "Grande entreprise (5 000 salariés ou plus)"
