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
    TERMINATED = "resiliee", "Fin notifiée"
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
    NON_RENEWAL = "non_reconduction", "Non-reconduction"
    TERMINATE = "resiliation", "Résiliation"
    BREACH = "resiliation_faute", "Résiliation pour manquement"
    MUTUAL = "commun_accord", "Fin d'un commun accord"
    WITHDRAWAL = "retrait", "Retrait d'une partie"
    E_SIGN = "signature_electronique", "Signature électronique"
    SUPERSEDE = "remplacement", "Remplacement"
    ABANDON = "abandon", "Abandon"


class Ending(models.TextChoices):
    """How a convention ends (``Agreement.ending``): each is a transition of the workflow
    with its own date rule (``relais.agreements.endings``)."""

    NON_RENEWAL = "non_reconduction", "Non-reconduction (fin de la période en cours)"
    TERMINATION = "resiliation", "Résiliation avec préavis"
    BREACH = "resiliation_faute", "Résiliation pour manquement"
    MUTUAL = "commun_accord", "Fin d'un commun accord"
    EXPIRY = "expiration", "Expiration"
    REPLACEMENT = "remplacement", "Remplacement par une nouvelle convention"


class DurationUnit(models.TextChoices):
    """How the text states its duration (« trois ans », « 18 mois »); stored in months.
    Automatic: in years when the duration is whole years."""

    AUTO = "", "selon la durée"
    MONTHS = "mois", "en mois"
    YEARS = "ans", "en années"


class AvenantPurpose(models.TextChoices):
    CHANGE = "modification", "Modification"
    ADHESION = "adhesion", "Adhésion d'une nouvelle partie"


class ArticleOperation(models.TextChoices):
    """What an avenant's article does to the convention: said explicitly, never inferred."""

    NONE = "", "Article de la convention"
    REPLACE = "remplace", "Remplace l'article"
    ADD = "ajoute", "Ajoute un article"
    REMOVE = "supprime", "Supprime l'article"


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


class SignatureEventKind(models.TextChoices):
    """The lines of a signatory's audit trail (``SignatureEvent``)."""

    INVITED = "invitation", "Lien de signature envoyé"
    RESENT = "renvoi", "Nouveau lien envoyé, l'ancien révoqué"
    REMINDED = "relance", "Relance envoyée"
    OPENED = "ouverture", "Lien ouvert"
    CODE_SENT = "code_envoye", "Code à usage unique envoyé"
    CODE_FAILED = "code_refuse", "Code erroné"
    SIGNED = "signature", "Signature électronique"


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
    "breach_months": "délai de résiliation pour manquement (mois)",
    "competent_court": "juridiction compétente",
}
