from django.db import models


class EstablishmentKind(models.TextChoices):
    ECOLE = "ecole", "École"
    COLLEGE = "college", "Collège"
    LYCEE = "lycee", "Lycée"
    EREA = "erea", "EREA"
    MEDICO_SOCIAL = "medico_social", "Médico-social"
    ADMINISTRATIVE = "administratif", "Service administratif"
    GUIDANCE = "orientation", "Information et orientation (CIO)"
    OTHER = "autre", "Autre"


# Type_etablissement of the Annuaire de l'éducation → kind.
ANNUAIRE_KINDS = {
    "Ecole": EstablishmentKind.ECOLE,
    "Collège": EstablishmentKind.COLLEGE,
    "Lycée": EstablishmentKind.LYCEE,
    "EREA": EstablishmentKind.EREA,
    "Médico-social": EstablishmentKind.MEDICO_SOCIAL,
    "Service Administratif": EstablishmentKind.ADMINISTRATIVE,
    "Information et orientation": EstablishmentKind.GUIDANCE,
    "Autre": EstablishmentKind.OTHER,
    "": EstablishmentKind.OTHER,
}


class Sector(models.TextChoices):
    PUBLIC = "public", "Public"
    PRIVATE = "prive", "Privé"
    UNKNOWN = "", "Non renseigné"


class PriorityEducation(models.TextChoices):
    NONE = "", "Hors éducation prioritaire"
    REP = "REP", "REP"
    REP_PLUS = "REP+", "REP+"
