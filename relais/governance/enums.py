from django.db import models


class BodyKind(models.TextChoices):
    STRATEGIC = "comite_strategique", "Comité stratégique"
    STEERING = "comite_pilotage", "Comité de pilotage"
    CLUB_STEERING = "pilotage_club", "Comité de pilotage de club"
    PROJECT_GROUP = "groupe_projet", "Groupe projet"
    SECTOR_COUNCIL = "conseil_sectoriel", "Conseil sectoriel national"


class MemberRole(models.TextChoices):
    CHAIR = "president", "Président ou co-animateur"
    MEMBER = "membre", "Membre"
    BY_RIGHT = "membre_de_droit", "Membre de droit"
    SECRETARY = "secretaire", "Rédacteur du compte rendu"


class MeetingState(models.TextChoices):
    """The life of a meeting (relais/governance/workflows.py: MEETING_WORKFLOW)."""

    PLANNED = "prevue", "Prévue"
    HELD = "tenue", "Tenue"
    CANCELLED = "annulee", "Annulée"


class AttendanceStatus(models.TextChoices):
    """Who came to a held meeting: a fact recorded per member, not a lifecycle."""

    PRESENT = "present", "Présent"
    EXCUSED = "excuse", "Excusé"
    ABSENT = "absent", "Absent"


class ReportState(models.TextChoices):
    """The life of an annual report (relais/governance/workflows.py: REPORT_WORKFLOW)."""

    DRAFT = "brouillon", "Brouillon"
    FINAL = "valide", "Validé"


class RecommendationTopic(models.TextChoices):
    """Fiche mesure 5: the questions a conseil sectoriel national « pourra se saisir »."""

    SKILLS = "competences", "Besoins en compétences et en qualifications"
    JOBS = "metiers", "Évolution des métiers"
    TRAINING = "formations", "Connaissance des formations et leur évolution"
    WORK_STUDY = "alternance", "Alternance et insertion professionnelle"
    LIFELONG = "formation_continue", "Formation tout au long de la vie"
    PROMOTION = "valorisation", "Valorisation des filières professionnelles"
    INNOVATION = "innovation", "Apport du monde académique à l'innovation"
