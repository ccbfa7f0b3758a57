"""Forms of the preparation of the stage de 3e (Mesure 2)."""

from __future__ import annotations

from django import forms

from relais.core.dates import DATE_RANGE_MESSAGE, date_in_range
from relais.pupils.models import Pupil
from relais.www.forms import DsfrForm

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PreparationFilterForm(forms.Form):
    annee = forms.CharField(
        label="Année scolaire (année de la rentrée)", required=False, max_length=4
    )
    sans_preparation = forms.BooleanField(
        label="Seulement les classes qui partent bientôt sans préparation complète", required=False
    )
    jours = forms.IntegerField(
        label="Départ dans les … jours", required=False, min_value=0, max_value=365
    )


class PreparationStepForm(DsfrForm):
    done_on = forms.DateField(label="Fait le", widget=DATE_INPUT)
    note = forms.CharField(
        label="Comment (séance, support)", required=False, max_length=255,
        help_text="Par exemple : « séance de vie de classe avec la professeure principale ».",
    )  # fmt: skip

    def clean_done_on(self):
        day = self.cleaned_data["done_on"]
        if not date_in_range(day):
            raise forms.ValidationError(DATE_RANGE_MESSAGE)
        return day


class StageReportsForm(DsfrForm):
    received_on = forms.DateField(
        label="Remis le (pour les rapports nouvellement cochés)", widget=DATE_INPUT
    )
    pupils: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label="Élèves qui ont remis leur rapport de stage",
        queryset=Pupil.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, pupils, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["pupils"]
        field.queryset = pupils
        field.label_from_instance = lambda pupil: f"{pupil.last_name} {pupil.first_name}"
