import re

from django import forms

from relais.core.text import search_key
from relais.nomenclatures.models import NafCode
from relais.organisations.enums import OrganisationKind
from relais.organisations.models import Organisation
from relais.organisations.perms import creatable_kinds
from relais.organisations.selectors import organisations_visible_to
from relais.territories.models import AcademicRegion, Commune
from relais.territories.selectors import academies_visible_to
from relais.users.scopes import get_reach
from relais.www.forms import DsfrModelForm

SIRET_INPUT_MAX_LENGTH = 20  # 14 digits and the spaces people type between groups
COMMUNE_WITH_POSTCODE = re.compile(r"^(?P<name>.+?)\s*\((?P<code>\d[\dAB]\d{3})\)\s*$")


class CommuneField(forms.CharField):
    """A commune typed as « Montpellier (34000) », a postal code or an INSEE code."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 150)
        super().__init__(**kwargs)
        self.widget.attrs.update({"list": "communes-suggestions", "autocomplete": "off"})

    def prepare_value(self, value):
        if isinstance(value, int):
            value = Commune.objects.filter(pk=value).first()
        return str(value) if isinstance(value, Commune) else value

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        matches = list(self._candidates(value.strip())[:6])
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise forms.ValidationError(
                "Commune introuvable : saisissez son nom suivi du code postal, "
                "par exemple « Montpellier (34000) »."
            )
        raise forms.ValidationError(
            "Plusieurs communes correspondent : %(names)s. Précisez le code postal.",
            params={"names": ", ".join(str(c) for c in matches[:5])},
        )

    @staticmethod
    def _candidates(value: str):
        if re.fullmatch(r"\d[\dAB]\d{3}", value):
            return Commune.objects.filter(insee_code=value) or Commune.objects.filter(
                postal_code=value
            )
        match = COMMUNE_WITH_POSTCODE.match(value)
        if match:
            key = search_key(match["name"])
            code = match["code"]
            by_postcode = Commune.objects.filter(postal_code=code, search_text__startswith=key)
            exact = [c for c in by_postcode if search_key(c.name) == key]
            if exact:
                return Commune.objects.filter(pk__in=[c.pk for c in exact])
            return Commune.objects.filter(insee_code=code, search_text__startswith=key)
        key = search_key(value)
        return Commune.objects.filter(search_text__startswith=f"{key} ").order_by("name")


class NafField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 6)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, int):
            value = NafCode.objects.filter(pk=value).first()
        return value.code if isinstance(value, NafCode) else value

    def clean(self, value):
        value = (super().clean(value) or "").strip().upper()
        if not value:
            return None
        if re.fullmatch(r"\d{4}[A-Z]", value):
            value = f"{value[:2]}.{value[2:]}"
        naf = NafCode.objects.filter(code=value).first()
        if naf is None:
            raise forms.ValidationError(
                "Code NAF inconnu : il s'écrit comme « 62.01Z » (nomenclature NAF rév. 2)."
            )
        return naf


class OrganisationForm(DsfrModelForm):
    commune = CommuneField(
        label="Commune",
        required=False,
        help_text="Nom suivi du code postal, par exemple « Montpellier (34000) ».",
    )
    naf = NafField(label="Code NAF", required=False, help_text="Par exemple « 62.01Z ».")

    class Meta:
        model = Organisation
        fields = [
            "name",
            "acronym",
            "kind",
            "level",
            "parent",
            "siret",
            "naf",
            "size_band",
            "address",
            "commune",
            "academie",
            "academic_region",
            "email",
            "phone",
            "website",
            "description",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "siret": "14 chiffres, espaces acceptés.",
            "academie": "Pour une organisation locale sans commune.",
            "academic_region": "Pour une organisation régionale.",
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        kinds = set(creatable_kinds(get_reach(user))) | (
            {self.instance.kind} if self.instance.pk else set()
        )
        self.fields["kind"].choices = [c for c in OrganisationKind.choices if c[0] in kinds]
        parents = organisations_visible_to(reach=get_reach(user)).exclude(
            kind=OrganisationKind.COMPANY
        )
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents.order_by("name")
        self.fields["academie"].queryset = academies_visible_to(reach=get_reach(user))
        self.fields["academic_region"].queryset = AcademicRegion.objects.all()
        # Validated in clean_siret, after normalisation. The help text accepts spaces
        # (« 123 456 789 01234 »): the model's maxlength of 14 would make the browser cut them.
        self.fields["siret"].validators = []
        self.fields["siret"].max_length = SIRET_INPUT_MAX_LENGTH
        self.fields["siret"].widget.attrs["maxlength"] = str(SIRET_INPUT_MAX_LENGTH)

    def clean_siret(self):
        from relais.core.identifiers import normalize_siret, validate_siret

        value = normalize_siret(self.cleaned_data.get("siret") or "")
        if value:
            validate_siret(value)
        return value or None

    def _post_clean(self):
        # Model validation runs in the service (organisation_create / organisation_update).
        pass
