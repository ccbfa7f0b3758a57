"""The four items of the parcours Avenir (Mesure 3 of the twelve measures, 2015: « une
visite, une rencontre, un stage, un projet concret ») and where an experience comes from."""

from django.db import models


class Item(models.TextChoices):
    VISIT = "visit", "Une visite"
    MEETING = "meeting", "Une rencontre"
    INTERNSHIP = "internship", "Un stage"
    PROJECT = "project", "Un projet"


ITEMS = tuple(Item)


class Source(models.TextChoices):
    """Who recorded the experience: a pupil's parcours is never typed twice."""

    CATALOGUE = "catalogue", "Action du catalogue"
    ADVISOR = "cee", "Intervention d'un conseiller entreprises pour l'école"
    RESERVE = "reserve", "Intervention de la réserve citoyenne"
    CLASS = "classe", "Sortie ou projet de la classe"
    POLE = "pole", "Stage trouvé par le pôle de stages"
    SCHOOL = "etablissement", "Stage déclaré par l'établissement"


class Status(models.TextChoices):
    """A pupil's state for one item."""

    DONE = "done", "Fait"
    PLANNED = "planned", "Prévu"
    MISSING = "missing", "Manquant"
