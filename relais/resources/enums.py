"""The kinds of resources of the library (Mesures 2, 7 and 9 of the twelve measures, 2015)
and the four contents of the preparation of the stage de 3e (Mesure 2)."""

from django.db import models


class Audience(models.TextChoices):
    """Who a resource is for (Mesure 7: « pour les équipes éducatives et les entreprises »)."""

    COMPANIES = "entreprises", "Entreprises qui accueillent des stagiaires"
    TEACHERS = "equipes", "Équipes éducatives"
    PARTNERS = "partenaires", "Partenaires (associations, organisations, bénévoles)"


class ResourceKind(models.TextChoices):
    TUTOR_KIT = "kit_tuteur", "Kit du tuteur (joint à chaque proposition de stage)"
    TOOLBOX = "boite_outils", "Boîte à outils : action à construire ensemble"
    PREPARATION = "preparation", "Préparation du stage de 3e"
    TRAINING = "formation", "Formation (MOOC, M@gistère)"
    GUIDE = "guide", "Guide ou fiche pratique"


class Step(models.TextChoices):
    """The steps of a project between a school and its partners, for which the toolbox
    names actions and interlocutors (Mesure 7: « découvrir le parcours Avenir, connaître
    les possibilités d'actions, identifier ses interlocuteurs à chaque étape du projet,
    trouver des relais pour réfléchir et mettre en place un projet »)."""

    DISCOVER = "decouvrir", "Découvrir le parcours Avenir"
    ACTIONS = "agir", "Connaître les actions possibles"
    CONTACTS = "interlocuteurs", "Identifier ses interlocuteurs"
    BUILD = "construire", "Trouver des relais et construire le projet"


class Topic(models.TextChoices):
    """The four contents of the preparation of the stage de 3e (Mesure 2: « préparer aux
    objectifs du stage, apprendre à rechercher une entreprise, apprendre à collecter de
    l'information pendant le stage, à trier et hiérarchiser ces informations »)."""

    GOALS = "objectifs", "Les objectifs du stage"
    SEARCH = "recherche", "Rechercher une entreprise"
    COLLECT = "collecte", "Collecter de l'information pendant le stage"
    SORT = "tri", "Trier et hiérarchiser ces informations"


TOPICS = tuple(Topic)


class UseKind(models.TextChoices):
    OPEN = "ouverture", "Ouverture"
    DOWNLOAD = "telechargement", "Téléchargement"
    SEND = "envoi", "Envoi à une entreprise"
