from django.db import models


class AgreementScope(models.TextChoices):
    NATIONAL = "national", "Nationale"
    ACADEMIC_REGION = "region_academique", "Région académique"
    ACADEMIE = "academie", "Académie"
    BASSIN = "bassin", "Bassin"
    ESTABLISHMENT = "etablissement", "Établissement"


class AgreementKind(models.TextChoices):
    FRAMEWORK = "cadre", "Convention-cadre de partenariat"
    CEE = "cee", "Convention conseillers entreprises pour l'école (art. D. 331-66)"
    LOCAL = "locale", "Convention locale"
    AVENANT = "avenant", "Avenant"


class AgreementState(models.TextChoices):
    DRAFT = "brouillon", "Brouillon"
    IN_SIGNATURE = "en_signature", "En signature"
    IN_FORCE = "en_vigueur", "En vigueur"
    EXPIRED = "expiree", "Expirée"
    TERMINATED = "resiliee", "Résiliée"
    SUPERSEDED = "remplacee", "Remplacée"
    ABANDONED = "abandonnee", "Abandonnée"


class Transition(models.TextChoices):
    """The names of the transitions of ``workflows.AGREEMENT_WORKFLOW`` (stable: the API
    exposes them), with their label in the journal."""

    SEND_FOR_SIGNATURE = "envoi_signature", "Envoi en signature"
    BACK_TO_DRAFT = "retour_brouillon", "Retour en brouillon"
    SIGN = "signature", "Signature"
    ENTER_INTO_FORCE = "entree_vigueur", "Entrée en vigueur"
    EXPIRE = "expiration", "Expiration"
    TERMINATE = "resiliation", "Résiliation"
    SUPERSEDE = "remplacement", "Remplacement"
    ABANDON = "abandon", "Abandon"


# States whose text can no longer change (frozen in a version).
FROZEN_STATES = {
    AgreementState.IN_SIGNATURE,
    AgreementState.IN_FORCE,
    AgreementState.EXPIRED,
    AgreementState.TERMINATED,
    AgreementState.SUPERSEDED,
}
# States shown as « en cours » (the convention binds its parties).
LIVE_STATES = {AgreementState.IN_FORCE, AgreementState.TERMINATED}


class SignatureMode(models.TextChoices):
    PAPER = "papier", "Papier"
    ELECTRONIC = "electronique", "Électronique"


class PartySide(models.TextChoices):
    EDUCATION = "education", "Éducation nationale"
    ECONOMIC = "economique", "Monde économique"
    OTHER = "autre", "Autre partenaire"


class CommitmentCategory(models.TextChoices):
    CEE = "cee", "Mobiliser des conseillers entreprises pour l'école"
    PFMP = "pfmp", "Accueillir des élèves en stage ou en PFMP"
    JURIES = "jurys", "Participer aux jurys d'examen"
    CASNAV = "casnav", "Diffuser les CV des élèves allophones (CASNAV)"
    IMMERSION = "immersion", "Accueillir des enseignants en immersion"
    DISCOVERY = "decouverte", "Faire découvrir les métiers et les entreprises"
    APPRENTICESHIP = "alternance", "Développer l'alternance et l'apprentissage"
    OTHER = "autre", "Autre engagement"


# Clauses an avenant may change (avenant.clause_changes keys), with their French label.
AMENDABLE_CLAUSES = {
    "duration_months": "durée (mois)",
    "tacit_renewal": "reconduction tacite",
    "max_renewals": "nombre de reconductions",
    "notice_months": "préavis de non-reconduction (mois)",
    "termination_months": "délai de résiliation (mois)",
    "competent_court": "juridiction compétente",
}
