from datetime import date

from django import forms
from django.db.models import Q
from django.utils import timezone

from relais.core.school_years import school_year_label, school_year_of
from relais.establishments.models import Establishment
from relais.governance.enums import BodyKind
from relais.governance.models import Meeting
from relais.networks.enums import ByRight, CampusMemberKind, MandateRole
from relais.networks.models import Campus, Club
from relais.organisations.enums import OrganisationKind
from relais.organisations.models import Organisation
from relais.organisations.selectors import organisations_visible_to
from relais.territories.models import Academie
from relais.territories.selectors import academies_visible_to, bassins_visible_to
from relais.users.scopes import get_reach
from relais.www.forms import DsfrForm, DsfrModelForm

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class UaiField(forms.CharField):
    """An établissement typed by its UAI, looked up in ``queryset`` (the académie's)."""

    def __init__(self, *, queryset=None, **kwargs):
        kwargs.setdefault("max_length", 8)
        kwargs.setdefault("help_text", "8 caractères, par exemple « 0341234A ».")
        super().__init__(**kwargs)
        self.queryset = queryset if queryset is not None else Establishment.objects.none()

    def prepare_value(self, value):
        if isinstance(value, int):
            value = Establishment.objects.filter(pk=value).first()
        return value.uai if isinstance(value, Establishment) else value

    def clean(self, value):
        value = (super().clean(value) or "").strip().upper().replace(" ", "")
        if not value:
            return None
        found = self.queryset.filter(uai=value).first()
        if found is None:
            raise forms.ValidationError(
                "Aucun établissement de cette académie n'a l'UAI « %(uai)s ».",
                params={"uai": value},
            )
        return found


def default_school_year() -> int:
    """From June on, nominations are for the next school year."""
    today = timezone.localdate()
    year = school_year_of(today)
    return year + 1 if today.month in (6, 7, 8) else year


def school_year_choices(around: int) -> list[tuple[int, str]]:
    return [(y, school_year_label(y)) for y in range(around - 3, around + 2)]


def _partner_queryset(user, academie):
    return (
        organisations_visible_to(reach=get_reach(user))
        .filter(archived_at__isnull=True)
        .filter(Q(academie__isnull=True) | Q(academie_id=academie))
        .order_by("name")
    )


class ClubForm(DsfrModelForm):
    class Meta:
        model = Club
        fields = ["bassin", "name", "contact_email", "charter"]
        widgets = {"charter": forms.Textarea(attrs={"rows": 8})}
        help_texts = {
            "name": "Par défaut « Club école-entreprise du bassin … ».",
            "charter": "Par défaut, la charte commune des clubs (convention Clubster de Lille).",
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = False
        if self.instance.pk:
            del self.fields["bassin"]
        else:
            from relais.users.scopes import get_reach

            reach = get_reach(user)
            bassins = bassins_visible_to(reach=get_reach(user)).filter(club__isnull=True)
            if not reach.national:
                bassins = bassins.filter(academie_id__in=reach.managed_academie_ids)
            self.fields["bassin"].queryset = bassins.order_by("academie__name", "name")

    def _post_clean(self):
        pass


class ClubMemberForm(DsfrForm):
    establishment = UaiField(label="Établissement (UAI)", required=False)
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label="Entreprise ou organisation", queryset=None, required=False
    )
    full_name = forms.CharField(label="Personne (nom et prénom)", max_length=150, required=False)
    email = forms.EmailField(label="Courriel", required=False)
    function = forms.CharField(label="Fonction", max_length=150, required=False)
    by_right = forms.ChoiceField(
        label="Membre de droit",
        choices=ByRight.choices,
        required=False,
        help_text="Un nouveau membre de droit remplace le précédent.",
    )

    def __init__(self, *args, user, club, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["establishment"].queryset = Establishment.objects.filter(
            academie_id=club.academie_id
        )
        self.fields["organisation"].queryset = _partner_queryset(user, club.academie_id)


class MandateForm(DsfrForm):
    role = forms.ChoiceField(label="Mandat", choices=MandateRole.choices)
    school_year = forms.TypedChoiceField(label="Année scolaire", coerce=int, choices=())
    full_name = forms.CharField(label="Nom et prénom", max_length=150)
    email = forms.EmailField(label="Courriel", help_text="Pour la nomination et les rappels.")
    phone = forms.CharField(label="Téléphone", max_length=40, required=False)
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label="Entreprise ou organisation (pilote)", queryset=None, required=False
    )
    establishment = UaiField(label="Établissement d'exercice (référent, UAI)", required=False)
    appointed_on = forms.DateField(
        label="Nommé le",
        widget=DATE,
        help_text="Le référent est nommé par le recteur au mois de juin.",
    )
    appointing_organisations: forms.ModelMultipleChoiceField[Organisation] = (
        forms.ModelMultipleChoiceField(
            label="Organisations signataires qui nomment le pilote",
            queryset=None,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
    )
    replacement = forms.BooleanField(label="Remplacement en cours d'année", required=False)
    starts_on = forms.DateField(label="Début du remplacement", widget=DATE, required=False)

    def __init__(self, *args, user, club, **kwargs):
        super().__init__(*args, **kwargs)
        year = default_school_year()
        self.fields["school_year"].choices = school_year_choices(year)
        self.fields["school_year"].initial = year
        self.fields["appointed_on"].initial = date(year, 6, 15)
        partners = _partner_queryset(user, club.academie_id)
        self.fields["organisation"].queryset = partners
        self.fields["appointing_organisations"].queryset = partners.filter(
            kind=OrganisationKind.PROFESSIONAL
        )
        self.fields["establishment"].queryset = Establishment.objects.filter(
            academie_id=club.academie_id
        )


class MandateRenewForm(DsfrForm):
    appointed_on = forms.DateField(label="Renouvelé le", widget=DATE)

    def __init__(self, *args, mandate, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["appointed_on"].initial = date(mandate.school_year + 1, 6, 15)


class DirectoryChoiceForm(DsfrForm):
    academie: forms.ModelChoiceField[Academie] = forms.ModelChoiceField(
        label="Académie", queryset=None, empty_label=None
    )
    annee = forms.TypedChoiceField(label="Année scolaire", coerce=int, choices=())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["academie"].queryset = academies_visible_to(reach=get_reach(user))
        year = default_school_year()
        self.fields["annee"].choices = school_year_choices(year)
        self.fields["annee"].initial = year


class DirectoryPublishForm(DsfrForm):
    published_on = forms.DateField(label="Publié le", widget=DATE)
    strategic_meeting: forms.ModelChoiceField[Meeting] = forms.ModelChoiceField(
        label="À l'issue du comité stratégique du", queryset=None, required=False
    )
    note = forms.CharField(
        label="Observations", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, academie, school_year, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["published_on"].initial = timezone.localdate()
        self.fields["strategic_meeting"].queryset = Meeting.objects.filter(
            body__kind=BodyKind.STRATEGIC,
            body__academie=academie,
            starts_at__year=school_year,
        ).select_related("body")


class CampusForm(DsfrModelForm):
    head_establishment = UaiField(label="Établissement support (UAI)", required=False)

    class Meta:
        model = Campus
        fields = [
            "name",
            "sector",
            "academie",
            "head_establishment",
            "label_starts_on",
            "label_reference",
            "description",
            "website",
            "contact_email",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4}), "label_starts_on": DATE}
        help_texts = {"label_starts_on": "Le label vaut 4 ans : la date de fin est calculée."}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from relais.users.scopes import get_reach

        reach = get_reach(user)
        academies = academies_visible_to(reach=get_reach(user))
        if not reach.national:
            academies = academies.filter(pk__in=reach.managed_academie_ids)
        self.fields["academie"].queryset = academies
        self.fields["head_establishment"].queryset = Establishment.objects.filter(
            academie__in=academies
        )

    def _post_clean(self):
        pass


class CampusMemberForm(DsfrForm):
    kind = forms.ChoiceField(label="Catégorie", choices=CampusMemberKind.choices)
    establishment = UaiField(label="Établissement (UAI)", required=False)
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label="Organisation", queryset=None, required=False
    )
    name = forms.CharField(
        label="Nom (s'il n'est pas dans Relais)",
        max_length=255,
        required=False,
        help_text="Université, laboratoire, collectivité…",
    )

    def __init__(self, *args, user, campus, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["establishment"].queryset = Establishment.objects.filter(
            academie_id=campus.academie_id
        )
        self.fields["organisation"].queryset = _partner_queryset(user, campus.academie_id)
