"""Forms of the académie's settings of the parcours Avenir (``views_settings``)."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.db.models import Q
from dsfr.utils import dsfr_input_class_attr
from dsfr.widgets import InlineCheckboxSelectMultiple

from relais.pathways.enums import Item
from relais.pathways.models import ExperienceKind
from relais.pupils.enums import Level
from relais.territories.models import Academie
from relais.www.forms import DsfrForm

CHOOSE_AN_ITEM = "Choisissez au moins un élément du parcours."


@dataclass(frozen=True)
class KindSetting:
    """A kind of experience as the académie has it: its own row, else the national one."""

    code: str
    label: str
    items: tuple[str, ...]
    own: bool  # the académie replaced the national setting

    @property
    def field(self) -> str:
        return f"kind_{self.code}"


def kind_settings(academie: Academie | None) -> list[KindSetting]:
    """Every national kind, with the académie's items where it set its own (one query)."""
    scope = Q(academie__isnull=True)
    if academie is not None:
        scope |= Q(academie=academie)
    rows = ExperienceKind.objects.filter(scope).order_by("position", "label")
    own = {k.code: k for k in rows if k.academie_id is not None}
    settings = []
    for kind in rows:
        if kind.academie_id is None:
            chosen = own.get(kind.code, kind)
            settings.append(
                KindSetting(kind.code, chosen.label, tuple(chosen.items), kind.code in own)
            )
    return settings


class KindsForm(DsfrForm):
    """Which items each kind of experience counts for: one group of boxes per kind."""

    def __init__(self, *args, kinds: list[KindSetting], national: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = kinds
        for kind in kinds:
            if national:
                hint = "Réglage national."
            elif kind.own:
                hint = "Réglage propre à l'académie."
            else:
                hint = "Réglage national, que l'académie peut remplacer."
            self.fields[kind.field] = forms.MultipleChoiceField(
                label=kind.label,
                choices=Item.choices,
                initial=list(kind.items),
                widget=InlineCheckboxSelectMultiple,
                help_text=hint,
                error_messages={"required": CHOOSE_AN_ITEM},
            )
            dsfr_input_class_attr(self[kind.field])

    def changed_kinds(self) -> list[tuple[KindSetting, list[str]]]:
        """The kinds whose items were changed, with their new items."""
        return [
            (kind, self.cleaned_data[kind.field])
            for kind in self.kinds
            if set(self.cleaned_data[kind.field]) != set(kind.items)
        ]


class ObjectiveForm(DsfrForm):
    """An item the pupils of a level should have done by the end of a year."""

    level = forms.ChoiceField(label="Niveau", choices=[("", "Choisir un niveau"), *Level.choices])
    item = forms.ChoiceField(
        label="Élément du parcours", choices=[("", "Choisir un élément"), *Item.choices]
    )
    school_year = forms.TypedChoiceField(
        label="Année scolaire",
        coerce=int,
        empty_value=None,
        required=False,
        help_text="« Chaque année » : l'objectif vaut jusqu'à ce qu'il soit retiré.",
    )

    def __init__(self, *args, years: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school_year"].choices = [("", "Chaque année"), *years]
