"""States of the juries app (the transitions are in ``workflows``)."""

from django.db import models


class JurorState(models.TextChoices):
    """A professional named to an exam session by an organisation (CPME Île-de-France, art.
    2.4: « La CPME Île-de-France désignera des professionnels pour participer à des jurys
    d'examen »), convoked by the académie, then present or absent on the day."""

    NAMED = "designe", "Désigné"
    CONVOKED = "convoque", "Convoqué"
    ATTENDED = "present", "A siégé"
    ABSENT = "absent", "Absent"
    WITHDRAWN = "retire", "Désistement"


# Holding a seat of the session (a withdrawal frees it).
SEATED_STATES = (JurorState.NAMED, JurorState.CONVOKED, JurorState.ATTENDED, JurorState.ABSENT)
