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
