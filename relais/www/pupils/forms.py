"""Forms of the pupils' pages. They check types and formats; every rule lives in
``relais.pupils.services``."""

from __future__ import annotations

from django import forms

from relais.core.clock import today
from relais.core.importing import fr_int
from relais.core.uploads import pupil_import_max_bytes, pupil_import_max_rows, size_fr
from relais.establishments.models import Establishment
from relais.pupils.models import Pupil
from relais.pupils.years import roster_year_label, roster_year_of
from relais.users.scopes import get_reach
from relais.www.forms import DsfrForm, DsfrModelForm


def school_choices(user):
    """The établissements where the user works (head of school, teacher)."""
    return Establishment.objects.filter(pk__in=get_reach(user).establishment_ids).order_by("name")


def only_school(user) -> int | None:
    """The user's school when they work in one only (the forms' initial choice)."""
    ids = get_reach(user).establishment_ids
    return next(iter(ids)) if len(ids) == 1 else None


def year_choices(*years: int) -> list[tuple[int, str]]:
    """The roster years around today's (the coming one is prepared from August), with
    ``years`` (those already on file), latest first."""
    current = roster_year_of(today())
    chosen = {current - 1, current, current + 1, *years}
    return [(year, roster_year_label(year)) for year in sorted(chosen, reverse=True)]


class PupilForm(DsfrModelForm):
    establishment = forms.ModelChoiceField(
        label="Établissement", queryset=Establishment.objects.none()
    )
    school_year = forms.TypedChoiceField(label="Année scolaire", coerce=int, choices=())

    class Meta:
        model = Pupil
        fields = [
            "establishment",
            "school_year",
            "last_name",
            "first_name",
            "class_label",
            "level",
            "school_ref",
            "qpv",
            "disability",
            "newly_arrived",
        ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        schools = school_choices(user)
        if self.instance.pk:
            del self.fields["establishment"]
            self.fields["school_year"].choices = year_choices(self.instance.school_year)
        else:
            self.fields["establishment"].queryset = schools
            self.fields["establishment"].initial = only_school(user)
            self.fields["school_year"].choices = year_choices()
            self.fields["school_year"].initial = roster_year_of(today())

    def _post_clean(self):
        pass


class RosterImportForm(DsfrForm):
    establishment = forms.ModelChoiceField(
        label="Établissement", queryset=Establishment.objects.none()
    )
    school_year = forms.TypedChoiceField(
        label="Année scolaire de la liste",
        coerce=int,
        choices=(),
        help_text="Une nouvelle année fait passer les élèves déjà inscrits dans leur nouvelle "
        "classe, sans les dupliquer.",
    )
    file = forms.FileField(label="Fichier CSV")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = (
            "Export CSV du logiciel de scolarité (SIECLE, ONDE, Pronote…) ou d'un tableur : "
            "UTF-8 ou Windows-1252, séparateur « ; », « , » ou tabulation ; "
            f"{size_fr(pupil_import_max_bytes())} et {fr_int(pupil_import_max_rows())} "
            "élèves au plus par fichier."
        )
        self.fields["establishment"].queryset = school_choices(user)
        self.fields["establishment"].initial = only_school(user)
        self.fields["school_year"].choices = year_choices()
        self.fields["school_year"].initial = roster_year_of(today())
