"""Forms of the library of kits and resources."""

from django import forms

from relais.core.uploads import pdf_max_bytes, size_fr
from relais.resources.enums import Audience, ResourceKind
from relais.resources.models import Resource
from relais.territories.models import Academie
from relais.users.scopes import get_reach
from relais.www.forms import DsfrForm, DsfrModelForm

NATIONAL = ""


class FilterForm(DsfrForm):
    q = forms.CharField(label="Rechercher un titre", required=False, max_length=100)
    audience = forms.ChoiceField(
        label="Public", required=False, choices=[("", "Tous les publics"), *Audience.choices]
    )
    kind = forms.ChoiceField(
        label="Type", required=False, choices=[("", "Tous les types"), *ResourceKind.choices]
    )


def _version_fields(form) -> None:
    """What a version holds: a text, a link, a PDF (at least one; the service says so)."""
    form.fields["body"] = forms.CharField(
        label="Contenu (texte)", required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    form.fields["url"] = forms.URLField(
        label="Lien (cours en ligne, page du ministère…)", required=False, max_length=500,
        assume_scheme="https",
    )  # fmt: skip
    form.fields["file"] = forms.FileField(
        label="Fichier PDF", required=False,
        help_text=f"PDF uniquement, {size_fr(pdf_max_bytes())} au plus.",
    )  # fmt: skip
    for name in ("body", "url", "file"):
        form.fields[name].widget.attrs.setdefault(
            "class", "fr-input" if name != "file" else "fr-upload"
        )


class ResourceForm(DsfrModelForm):
    """A new resource and its first version."""

    territory = forms.ChoiceField(label="Territoire")

    class Meta:
        model = Resource
        fields = ["title", "summary", "audience", "kind", "step", "topic"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        reach = get_reach(user)
        choices = [(NATIONAL, "Nationale")] if reach.national else []
        academies = Academie.objects.order_by("name")
        if not reach.national:
            academies = academies.filter(pk__in=reach.managed_academie_ids)
        choices += [(str(academie.pk), f"Académie de {academie.name}") for academie in academies]
        self.fields["territory"].choices = choices
        _version_fields(self)
        self.fields["note"] = forms.CharField(
            label="Note de version", required=False, max_length=255, initial="Première version"
        )
        self._academies = {str(academie.pk): academie for academie in academies}

    def academie(self):
        return self._academies.get(self.cleaned_data["territory"])


class VersionForm(DsfrForm):
    note = forms.CharField(label="Ce qui change dans cette version", max_length=255)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _version_fields(self)
