"""Choices and states of the volunteers app (the transitions are in ``workflows``).

Conseillers entreprises pour l'école (CEE, code de l'éducation D. 331-65 à D. 331-67) and
conseillers de l'enseignement technologique (CET) share one model with a ``kind``.
"""

from decimal import Decimal

from django.db import models


class AdvisorKind(models.TextChoices):
    CEE = "cee", "Conseiller entreprises pour l'école (CEE)"
    CET = "cet", "Conseiller de l'enseignement technologique (CET)"


KIND_SHORT: dict[str, str] = {AdvisorKind.CEE: "CEE", AdvisorKind.CET: "CET"}


class ProfessionalStatus(models.TextChoices):
    """Article 3 of the model convention: « salariés, artisans, employeurs »."""

    EMPLOYEE = "salarie", "Salarié"
    CRAFTSMAN = "artisan", "Artisan"
    EMPLOYER = "employeur", "Employeur"


class AdvisorState(models.TextChoices):
    PROPOSED = "propose", "Proposé"
    DESIGNATED = "designe", "Désigné"
    ACTIVE = "actif", "En mission"
    ENDED = "termine", "Mission terminée"
    REFUSED = "refuse", "Refusé"
    WITHDRAWN = "retire", "Proposition retirée"


# Designated by the recteur: on the nominative list and counted against the commitment.
APPOINTED_STATES = (AdvisorState.DESIGNATED, AdvisorState.ACTIVE)


class InterventionDomain(models.TextChoices):
    """The domains of Article 2 of the model CEE convention (plus the representation of the
    organisation in the bodies named by its preamble)."""

    PARCOURS_AVENIR = "parcours_avenir", "Parcours Avenir, de la 6e à la terminale"
    DISCOVERY_DAY = "decouverte_metiers", "Journée de découverte des métiers"
    DIPLOMAS = "diplomes", "Élaboration et mise en œuvre des diplômes professionnels"
    LOCAL_MODULES = "modules_locaux", "Modules de formation au niveau local"
    WORK_PERIODS = "periodes_entreprise", "Développement des périodes en entreprise"
    ASSESSMENT = "evaluation", "Évaluation des jeunes en formation (CCF, épreuves ponctuelles)"
    JURIES = "jurys", "Jurys d'examens des diplômes professionnels"
    QUALITY = "qualite", "Démarches-qualité des formations (labels, certifications)"
    APPRENTICESHIP = "apprentissage", "Développement de l'apprentissage"
    ENTREPRENEURSHIP = "entrepreneuriat", "Promotion de l'entrepreneuriat"
    DROPOUT = "decrochage", "Prévention du décrochage, droit au retour en formation"
    STAFF_IMMERSION = "immersion_personnels", "Immersion en entreprise des personnels"
    LIFELONG = "formation_continue", "Formation tout au long de la vie (GRETA, VAE)"
    REPRESENTATION = "representation", "Représentation (CLEE, campus, pôle de stages, CPC)"
    OTHER = "autre", "Autre action convenue entre les signataires"


class SeatKind(models.TextChoices):
    """Where a CET (or a CEE) sits for the organisation (Mesure 8: « un rôle d'interface entre
    les établissements […] et le monde professionnel »)."""

    CLEE = "clee", "Comité local école-entreprise (CLEE)"
    CAMPUS = "campus", "Campus des métiers et des qualifications"
    POLE = "pole", "Pôle de stages"
    CPC = "cpc", "Commission professionnelle consultative (CPC)"


class ApplicationState(models.TextChoices):
    SUBMITTED = "deposee", "À examiner"
    VALIDATED = "validee", "Validée"
    REFUSED = "refusee", "Refusée"


# Fiche mesure 10: « les candidatures validées sous 2 mois ».
VETTING_DELAY_MONTHS = 2


class ReserveSkill(models.TextChoices):
    JOB = "metier", "Présenter son métier et son parcours"
    ORIENTATION = "orientation", "Aide à l'orientation"
    ENTREPRENEURSHIP = "entreprendre", "Esprit d'entreprendre"
    INTERNSHIP = "stage", "Préparer un stage (CV, entretien)"
    SCIENCE = "sciences", "Sciences et techniques"
    DIGITAL = "numerique", "Numérique"
    EQUALITY = "egalite", "Égalité filles-garçons, mixité des métiers"
    CITIZENSHIP = "citoyennete", "Valeurs de la République, citoyenneté"
    LANGUAGES = "langues", "Langues étrangères"


class Availability(models.TextChoices):
    WEEKDAY_MORNING = "matin", "En semaine, le matin"
    WEEKDAY_AFTERNOON = "apres_midi", "En semaine, l'après-midi"
    WEDNESDAY = "mercredi", "Le mercredi"
    OCCASIONAL = "ponctuel", "Ponctuellement, à convenir"


class RequestState(models.TextChoices):
    SENT = "envoyee", "En attente de réponse"
    ACCEPTED = "acceptee", "Acceptée"
    DECLINED = "declinee", "Déclinée"
    CANCELLED = "annulee", "Annulée"
    DONE = "realisee", "Intervention réalisée"


class ImmersionState(models.TextChoices):
    SUBMITTED = "deposee", "En attente de validation"
    VALIDATED = "validee", "Validée"
    REFUSED = "refusee", "Refusée"
    CANCELLED = "annulee", "Annulée"


IMMERSION_MAX_DAYS = 3


class CourseFunction(models.TextChoices):
    HEAD_OF_SCHOOL = "chef_etablissement", "Chef d'établissement"
    INSPECTOR = "inspecteur", "Inspecteur"


class CoursePart(models.TextChoices):
    """Fiche mesure 6: 56 heures, « préparation préalable au stage à distance (12 h), une
    séquence d'immersion en entreprise (35 h) et une session de valorisation (9 h) »."""

    PREPARATION = "preparation", "Préparation à distance"
    IMMERSION = "immersion", "Immersion en entreprise"
    DEBRIEFING = "valorisation", "Valorisation en présentiel"


COURSE_HOURS = {
    CoursePart.PREPARATION: Decimal(12),
    CoursePart.IMMERSION: Decimal(35),
    CoursePart.DEBRIEFING: Decimal(9),
}
COURSE_TOTAL_HOURS = sum(COURSE_HOURS.values(), Decimal(0))  # 56
