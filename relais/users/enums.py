from django.db import models


class ScopeKind(models.TextChoices):
    NATIONAL = "national", "National"
    ACADEMIE = "academie", "Académie"
    BASSIN = "bassin", "Bassin"
    ESTABLISHMENT = "etablissement", "Établissement"
    ORGANISATION = "organisation", "Organisation"


class Role(models.TextChoices):
    NATIONAL_ADMIN = "admin_national", "Administration nationale"
    ACADEMIE_TEAM = (
        "equipe_academique",
        "Équipe académique (cellule relation école-entreprise, DAET)",
    )
    BASSIN_REFERENT = "referent_bassin", "Référent école-entreprise de bassin"
    HUB_MEMBER = "membre_pole_stages", "Membre du pôle de stages"
    HEAD_OF_SCHOOL = "chef_etablissement", "Chef d'établissement"
    TEACHER = "enseignant", "Enseignant"
    ORGANISATION_REP = "representant_organisation", "Représentant d'organisation"
    VOLUNTEER = "benevole", "Bénévole (réserve citoyenne)"


# The one scope each role is held on.
ROLE_SCOPE = {
    Role.NATIONAL_ADMIN: ScopeKind.NATIONAL,
    Role.ACADEMIE_TEAM: ScopeKind.ACADEMIE,
    Role.BASSIN_REFERENT: ScopeKind.BASSIN,
    Role.HUB_MEMBER: ScopeKind.BASSIN,
    Role.HEAD_OF_SCHOOL: ScopeKind.ESTABLISHMENT,
    Role.TEACHER: ScopeKind.ESTABLISHMENT,
    Role.ORGANISATION_REP: ScopeKind.ORGANISATION,
    Role.VOLUNTEER: ScopeKind.ACADEMIE,
}


class AccessPurpose(models.TextChoices):
    """Why personal data was read: the « pourquoi » of the access journal."""

    CONSULTATION = "consultation", "consultation de la fiche"
    EXPORT = "export", "export"


class PersonalData(models.TextChoices):
    """Which personal data an access journal row is about."""

    PUPIL = "pupil", "Fiche d'un élève"
    CASE = "case", "Dossier d'un élève"
    PUPILS = "pupils", "Liste des élèves"
    CASES = "cases", "File des dossiers d'élèves"
    INTERNSHIP_AGREEMENT = "agreement", "Convention de stage d'un élève"
    INDICATORS = "indicators", "Indicateurs des pôles de stages"  # rows of the former journal
    ADVISORS = "advisors", "Conseillers entreprises pour l'école"
    ADVISOR_INTERVENTIONS = "interventions", "Interventions des conseillers"
    NOMINATIVE_LIST = "nominative", "Liste nominative des conseillers"
    RESERVE_APPLICATIONS = "reserve_applications", "Candidatures à la réserve citoyenne"
    RESERVE_REQUESTS = "reserve_requests", "Sollicitations de réservistes"
    IMMERSIONS = "immersions", "Candidatures aux immersions"
    COURSE = "course", "Participants au parcours de 56 heures"
    CLUBS = "clubs", "Clubs : référents et pilotes"
    MANDATES = "mandates", "Mandats des clubs à renouveler"
    CLUB_DIRECTORY = "club_directory", "Annuaire des clubs"
    ACTION_REQUESTS = "action_requests", "Demandes d'actions des écoles"
    PARCOURS = "parcours", "Parcours Avenir d'un élève ou d'une classe"
