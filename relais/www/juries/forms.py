"""Forms of the juries pages: types and formats only; every rule is in the services."""

from django import forms

from relais.establishments.models import Establishment
from relais.organisations.models import Organisation
from relais.territories.models import Academie
from relais.users.scopes import get_reach
from relais.volunteers.enums import APPOINTED_STATES, AdvisorKind
from relais.volunteers.models import Advisor
from relais.www.forms import DsfrForm
from relais.www.volunteers.forms import UaiField


class SessionForm(DsfrForm):
    academie = forms.ModelChoiceField(label="Académie", queryset=Academie.objects.none())
    diploma = forms.CharField(
        label="Diplôme", max_length=200, help_text="Par exemple « CAP Boulanger »."
    )
    specialty = forms.CharField(label="Spécialité ou épreuve", max_length=200, required=False)
    date = forms.DateField(
        label="Date", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    starts_at = forms.TimeField(
        label="Heure de convocation",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    place = forms.CharField(label="Lieu", max_length=255, help_text="Adresse ou salle.")
    establishment = UaiField(label="UAI du centre d'examen", required=False)
    seats = forms.IntegerField(
        label="Places pour des professionnels", min_value=1, max_value=200, initial=2
    )
    notes = forms.CharField(
        label="Informations pour les jurés",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Reprises dans la convocation (pièce d'identité, tenue…).",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        reach = get_reach(user)
        academies = Academie.objects.order_by("name")
        if not reach.national:
            academies = academies.filter(pk__in=reach.managed_academie_ids)
        self.fields["academie"].queryset = academies
        if academies.count() == 1:
            self.fields["academie"].initial = academies.first()
        self.fields["establishment"].queryset = Establishment.objects.filter(academie__in=academies)


class JurorForm(DsfrForm):
    organisation = forms.ModelChoiceField(
        label="Organisation qui désigne", queryset=Organisation.objects.none()
    )
    advisor = forms.ModelChoiceField(
        label="Un de vos conseillers entreprises pour l'école (CEE)",
        queryset=Advisor.objects.none(),
        required=False,
        help_text="Ou laissez vide et indiquez le professionnel ci-dessous.",
    )
    full_name = forms.CharField(label="Nom et prénom", max_length=200, required=False)
    email = forms.EmailField(label="Courriel", required=False)
    employer_name = forms.CharField(label="Entreprise", max_length=255, required=False)
    job_title = forms.CharField(label="Métier", max_length=200, required=False)

    def __init__(self, *args, organisations, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if len(organisations) == 1:
            self.fields["organisation"].initial = organisations[0]
        self.fields["advisor"].queryset = Advisor.objects.filter(
            kind=AdvisorKind.CEE,
            state__in=APPOINTED_STATES,
            academie_id=session.academie_id,
            organisation__in=organisations,
        ).order_by("last_name", "first_name")

    def clean(self):
        data = super().clean()
        if not data.get("advisor"):
            if not (data.get("full_name") or "").strip():
                self.add_error(
                    "full_name", "Indiquez le nom du professionnel (ou choisissez un CEE)."
                )
            if not data.get("email"):
                self.add_error("email", "Indiquez le courriel où envoyer la convocation.")
        return data


class ReasonForm(DsfrForm):
    reason = forms.CharField(
        label="Motif", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
