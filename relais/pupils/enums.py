"""The levels of the pupils on a school's roster (collège and lycée).

Their values include those of ``relais.internships.enums.SchoolLevel`` (the levels an
internship period concerns), so that a pupil's level and a period's level compare as they
are."""

from django.db import models


class Level(models.TextChoices):
    SIXTH = "6e", "6e"
    FIFTH = "5e", "5e"
    FOURTH = "4e", "4e"
    THIRD = "3e", "3e"
    SECOND_GT = "2nde", "Seconde générale et technologique"
    FIRST_GT = "1re", "Première générale et technologique"
    FINAL_GT = "tle", "Terminale générale et technologique"
    CAP = "cap", "CAP (1re année)"
    CAP2 = "cap2", "CAP (2e année)"
    SECOND_PRO = "2nde_pro", "Seconde professionnelle"
    FIRST_PRO = "1re_pro", "Première professionnelle"
    FINAL_PRO = "tle_pro", "Terminale professionnelle"
    OTHER = "autre", "Autre niveau"


COLLEGE_LEVELS = (Level.SIXTH, Level.FIFTH, Level.FOURTH, Level.THIRD)

# The level a pupil moves up to at the next rentrée in the same school (a pupil who repeats
# a year keeps theirs: the roster says so).
NEXT_LEVEL = {
    Level.SIXTH: Level.FIFTH,
    Level.FIFTH: Level.FOURTH,
    Level.FOURTH: Level.THIRD,
    Level.SECOND_GT: Level.FIRST_GT,
    Level.FIRST_GT: Level.FINAL_GT,
    Level.CAP: Level.CAP2,
    Level.SECOND_PRO: Level.FIRST_PRO,
    Level.FIRST_PRO: Level.FINAL_PRO,
}
