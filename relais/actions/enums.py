from django.db import models


class ActionKind(models.TextChoices):
    """What partners offer (issue 5; 12 mesures, fiche 3: « une visite, une rencontre, un
    stage, un projet concret »)."""

    COMPANY_VISIT = "visite", "Visite d'entreprise"
    TESTIMONY = "temoignage", "Témoignage en classe"
    JOB_FORUM = "forum", "Forum des métiers"
    MINI_COMPANY = "mini_entreprise", "Mini-entreprise"
    COMPETITION = "concours", "Concours"
    EXAM_JURY = "jury", "Jury d'examen"
    MENTORING = "parrainage", "Parrainage, tutorat"
    GIRLS_STEM = "mixite", "Filles et métiers scientifiques et techniques"
    SCHOOL_BUSINESS_WEEK = "semaine_ecole_entreprise", "Semaine école-entreprise"
    INDUSTRY_WEEK = "semaine_industrie", "Semaine de l'industrie"
    OTHER = "autre", "Autre action"


class Level(models.TextChoices):
    ECOLE = "ecole", "École élémentaire"
    SIXIEME = "6e", "6e"
    CINQUIEME = "5e", "5e"
    QUATRIEME = "4e", "4e"
    TROISIEME = "3e", "3e"
    SECONDE = "2de", "2de"
    PREMIERE = "1re", "1re"
    TERMINALE = "tle", "Terminale"
    CAP = "cap", "CAP"
    POST_BAC = "post_bac", "BTS et post-bac"


class OfferState(models.TextChoices):
    DRAFT = "brouillon", "Brouillon"
    PUBLISHED = "publiee", "Publiée"
    CLOSED = "close", "Close"


class RequestState(models.TextChoices):
    SENT = "envoyee", "Envoyée"
    ACCEPTED = "acceptee", "Acceptée"
    DECLINED = "refusee", "Refusée"
    CANCELLED = "annulee", "Annulée"
    DONE = "realisee", "Réalisée"


class OfferTransition(models.TextChoices):
    """The names of the offer's transitions (``workflows.OFFER_WORKFLOW``), as journaled."""

    CREATE = "creation", "Création"
    PUBLISH = "publier", "Publier"
    CLOSE = "clore", "Clore"


class RequestTransition(models.TextChoices):
    """The names of the request's transitions (``workflows.REQUEST_WORKFLOW``): the API's
    paths and the ``transition`` of its journal. « envoyer » is the request's creation."""

    SEND = "envoyer", "Envoyer la demande"
    ACCEPT = "accepter", "Accepter"
    DECLINE = "refuser", "Refuser"
    CANCEL = "annuler", "Annuler"
    COMPLETE = "realiser", "Déclarer réalisée"
