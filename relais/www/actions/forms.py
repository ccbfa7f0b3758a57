"""Forms of the catalogue. Their choices come from the selectors, which apply the rules of
relais.actions.perms: a form never rebuilds who may do what."""

from django import forms

from relais.actions.enums import ActionKind, Level
from relais.actions.models import Offer
from relais.actions.selectors import offer_partners, schools_acted_for
from relais.establishments.models import Establishment
from relais.organisations.models import Organisation
from relais.organisations.selectors import organisations_visible_to
from relais.territories.models import Bassin
from relais.territories.selectors import academies_visible_to
from relais.users.scopes import get_reach
from relais.www.forms import DsfrForm, DsfrModelForm
from relais.www.networks.forms import DATE, UaiField
from relais.www.organisations.forms import CommuneField

LEVELS = forms.MultipleChoiceField(
    label="Niveaux", choices=Level.choices, required=False, widget=forms.CheckboxSelectMultiple,
    help_text="Aucun : tous niveaux.",
)  # fmt: skip


class OfferForm(DsfrModelForm):
    levels = LEVELS
    commune = CommuneField(
        label="Commune du lieu",
        required=False,
        help_text="Nom suivi du code postal, par exemple « Montpellier (34000) ». Sert au "
        "calcul des distances.",
    )

    class Meta:
        model = Offer
        fields = [
            "organisation", "kind", "title", "description", "levels", "academie", "bassin",
            "commune", "radius_km", "starts_on", "ends_on", "capacity", "max_pupils",
            "contact_email", "disability_awareness",
        ]  # fmt: skip
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "starts_on": DATE,
            "ends_on": DATE,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        academies = academies_visible_to(reach=get_reach(user))
        self.fields["organisation"].queryset = offer_partners(user=user)
        self.fields["academie"].queryset = academies
        self.fields["bassin"].queryset = Bassin.objects.filter(
            academie__in=academies
        ).select_related("academie")
        self.fields["levels"].initial = self.instance.levels if self.instance.pk else []

    def _post_clean(self):
        pass


class RequestForm(DsfrForm):
    establishment: forms.ModelChoiceField[Establishment] = forms.ModelChoiceField(
        label="Établissement", queryset=None, empty_label=None
    )
    contact_name = forms.CharField(label="Contact dans l'établissement", max_length=150)
    contact_email = forms.EmailField(label="Courriel du contact")
    classes = forms.CharField(
        label="Classes", max_length=255, help_text="Par exemple « 3e A, 3e B »."
    )
    pupil_count = forms.IntegerField(label="Nombre d'élèves", min_value=1, max_value=2000)
    wished_dates = forms.CharField(label="Dates souhaitées", max_length=255, required=False)
    message = forms.CharField(label="Message au partenaire", required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip

    def __init__(self, *args, user, offer, **kwargs):
        super().__init__(*args, **kwargs)
        schools = schools_acted_for(user=user).filter(academie_id=offer.academie_id)
        self.fields["establishment"].queryset = schools.order_by("name")
        self.fields["contact_name"].initial = user.get_full_name()
        self.fields["contact_email"].initial = user.email


class TransitionForm(DsfrForm):
    message = forms.CharField(
        label="Message", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    done_on = forms.DateField(label="Réalisée le", required=False, widget=DATE)
    pupil_count = forms.IntegerField(label="Nombre d'élèves", min_value=1, required=False)
    classes = forms.CharField(label="Classes", max_length=255, required=False)


class RecordForm(DsfrForm):
    establishment = UaiField(label="Établissement (UAI)")
    kind = forms.ChoiceField(label="Type d'action", choices=ActionKind.choices)
    title = forms.CharField(label="Intitulé", max_length=255)
    done_on = forms.DateField(label="Réalisée le", widget=DATE)
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label="Partenaire", queryset=None, required=False
    )
    partner_label = forms.CharField(label="Partenaire (s'il n'est pas dans Relais)", max_length=255,
                                    required=False)  # fmt: skip
    classes = forms.CharField(label="Classes", max_length=255, required=False)
    pupil_count = forms.IntegerField(label="Nombre d'élèves", min_value=1, required=False)
    levels = LEVELS
    notes = forms.CharField(
        label="Observations", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        reach = get_reach(user)
        self.fields["establishment"].queryset = schools_acted_for(user=user)
        self.fields["organisation"].queryset = (
            organisations_visible_to(reach=get_reach(user))
            .filter(archived_at__isnull=True)
            .order_by("name")
        )
        if len(reach.establishment_ids) == 1 and not self.is_bound:
            self.initial.setdefault(
                "establishment",
                Establishment.objects.filter(pk__in=reach.establishment_ids).first(),
            )


class NearForm(DsfrForm):
    """« Près de mon établissement »: the school (by UAI) and a distance."""

    etablissement = UaiField(label="Près de l'établissement (UAI)", required=False)
    distance = forms.TypedChoiceField(
        label="Distance au plus", coerce=int, required=False, empty_value=None,
        choices=[("", "Toute la zone")] + [(km, f"{km} km") for km in (10, 20, 30, 50, 100)],
    )  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from relais.establishments.selectors import establishments_visible_to

        self.fields["etablissement"].queryset = establishments_visible_to(reach=get_reach(user))
