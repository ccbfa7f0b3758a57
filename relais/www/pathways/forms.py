"""Forms of the parcours Avenir pages."""

from __future__ import annotations

from django import forms
from django.db.models import Q

from relais.core.validation import DATE_MAX, DATE_MIN
from relais.pathways.models import ExperienceKind
from relais.pathways.services.settings import national_setting_ensure
from relais.www.forms import DsfrForm


def kind_choices(academie_id: int | None) -> list[tuple[str, str]]:
    """The kinds as the académie sets them (its own label and items win)."""
    national_setting_ensure()
    rows = ExperienceKind.objects.filter(
        Q(academie__isnull=True) | Q(academie_id=academie_id)
    ).order_by("position", "label")
    chosen: dict[str, ExperienceKind] = {}
    for kind in rows:
        if kind.code not in chosen or kind.academie_id is not None:
            chosen[kind.code] = kind
    return [(k.code, f"{k.label} — {k.items_display}") for k in chosen.values()]


class DateInput(forms.DateInput):
    input_type = "date"


class ExperienceForm(DsfrForm):
    """What the class did: one experience, credited to the pupils ticked present."""

    kind = forms.ChoiceField(
        label="Type d'expérience", help_text="Compte pour les éléments indiqués."
    )
    date = forms.DateField(label="Date", widget=DateInput(format="%Y-%m-%d"))
    title = forms.CharField(
        label="Intitulé", max_length=255, required=False,
        help_text="Facultatif, par exemple « Visite de l'atelier de la SNCF ».",
    )  # fmt: skip
    partner_label = forms.CharField(label="Partenaire", max_length=255, required=False)
    place = forms.CharField(label="Lieu", max_length=255, required=False)
    present = forms.TypedMultipleChoiceField(
        label="Élèves présents", coerce=int, required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Tous sont cochés : décochez les absents.",
    )  # fmt: skip

    def __init__(self, *args, academie_id: int | None, pupils: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kind_choices(academie_id)
        self.fields["present"].choices = [(p.pk, f"{p.last_name} {p.first_name}") for p in pupils]
        self.fields["present"].initial = [p.pk for p in pupils]
        self.fields["date"].widget.attrs.update(
            {"min": DATE_MIN.isoformat(), "max": DATE_MAX.isoformat()}
        )


class CreditsForm(DsfrForm):
    present = forms.TypedMultipleChoiceField(
        label="Élèves qui ont participé", coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, pupils: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [
            (p.pk, f"{p.last_name} {p.first_name} ({p.class_label})") for p in pupils
        ]


class InternshipForm(DsfrForm):
    """A stage the pupil found alone or with the teaching team."""

    kind = forms.ChoiceField(label="Stage")
    date = forms.DateField(label="Premier jour du stage", widget=DateInput(format="%Y-%m-%d"))
    partner_label = forms.CharField(label="Entreprise ou organisme d'accueil", max_length=255)
    place = forms.CharField(label="Commune", max_length=255, required=False)

    def __init__(self, *args, academie_id: int | None, **kwargs):
        super().__init__(*args, **kwargs)
        rows = ExperienceKind.objects.filter(
            Q(academie__isnull=True) | Q(academie_id=academie_id), items__contains=["internship"]
        ).order_by("position")
        self.fields["kind"].choices = list(dict((k.code, k.label) for k in rows).items())
