"""Forms of the training pages: types and formats only; every rule is in the services."""

from django import forms

from relais.establishments.models import Establishment
from relais.organisations.models import Organisation
from relais.territories.models import Academie
from relais.training.enums import (
    SECTOR_CHOICES,
    ChangeKind,
    ConsentGiver,
    ContractKind,
    DiplomaLevel,
    FrenchLevel,
    Opinion,
    SectionState,
    SectionStatus,
)
from relais.training.models import TrainingSection
from relais.training.services.newcomers import CONSENT_TEXT, CONSENT_VERSION
from relais.users.scopes import get_reach
from relais.www.forms import DsfrForm
from relais.www.volunteers.forms import UaiField

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
BLANK = [("", "—")]


def managed_academies(user):
    reach = get_reach(user)
    academies = Academie.objects.order_by("name")
    return academies if reach.national else academies.filter(pk__in=reach.managed_academie_ids)


class SectionForm(DsfrForm):
    establishment = UaiField(label="UAI de l'établissement")
    diploma = forms.CharField(
        label="Diplôme préparé", max_length=200, help_text="Par exemple « CAP Boulanger »."
    )
    level = forms.ChoiceField(label="Niveau", choices=DiplomaLevel.choices)
    sector = forms.ChoiceField(label="Secteur (grand domaine du ROME)", choices=SECTOR_CHOICES)
    nsf_code = forms.CharField(
        label="Code NSF", max_length=5, required=False, help_text="Par exemple « 221 »."
    )
    status = forms.ChoiceField(label="Statut", choices=SectionStatus.choices)
    capacity = forms.IntegerField(
        label="Capacité d'accueil (places par an)", min_value=1, max_value=500
    )
    opened_on = forms.DateField(label="Ouverte le", required=False, widget=DATE)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["establishment"].queryset = Establishment.objects.filter(
            academie__in=managed_academies(user)
        )


class ChangeForm(DsfrForm):
    kind = forms.ChoiceField(label="Nature de l'évolution", choices=ChangeKind.choices)
    establishment = UaiField(label="UAI de l'établissement (ouverture)", required=False)
    section = forms.ModelChoiceField(
        label="Section concernée (transformation, fermeture)",
        queryset=TrainingSection.objects.none(),
        required=False,
    )
    diploma = forms.CharField(label="Diplôme préparé", max_length=200, required=False)
    level = forms.ChoiceField(label="Niveau", choices=BLANK + DiplomaLevel.choices, required=False)
    sector = forms.ChoiceField(label="Secteur", choices=BLANK + SECTOR_CHOICES, required=False)
    nsf_code = forms.CharField(label="Code NSF", max_length=5, required=False)
    status = forms.ChoiceField(
        label="Statut", choices=BLANK + SectionStatus.choices, required=False
    )
    capacity = forms.IntegerField(
        label="Capacité d'accueil", min_value=1, max_value=500, required=False
    )
    reason = forms.CharField(
        label="Motif et besoins des entreprises", widget=forms.Textarea(attrs={"rows": 3})
    )
    effective_on = forms.DateField(label="À la rentrée du", widget=DATE)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        academies = managed_academies(user)
        self.fields["establishment"].queryset = Establishment.objects.filter(academie__in=academies)
        self.fields["section"].queryset = TrainingSection.objects.filter(
            state=SectionState.OPEN, establishment__academie__in=academies
        ).select_related("establishment")

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == ChangeKind.OPEN and not data.get("establishment"):
            self.add_error("establishment", "Indiquez l'établissement où ouvrir la section.")
        if kind in (ChangeKind.TRANSFORM, ChangeKind.CLOSE) and not data.get("section"):
            self.add_error("section", "Choisissez la section à transformer ou à fermer.")
        return data


class SubmitForm(DsfrForm):
    delay_days = forms.IntegerField(
        label="Délai pour rendre les avis (jours)", min_value=7, max_value=90, initial=30
    )


class OpinionForm(DsfrForm):
    opinion = forms.ChoiceField(label="Avis", choices=Opinion.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        label="Commentaire", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Obligatoire pour un avis défavorable ou réservé.",
    )  # fmt: skip


class ShortageForm(DsfrForm):
    organisation = forms.ModelChoiceField(
        label="Organisation", queryset=Organisation.objects.none()
    )
    academie = forms.ModelChoiceField(label="Académie", queryset=Academie.objects.none())
    sector = forms.ChoiceField(label="Secteur", choices=SECTOR_CHOICES)
    job = forms.CharField(label="Métier en tension", max_length=200)
    comment = forms.CharField(
        label="Besoins constatés", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, organisations, academies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["academie"].queryset = academies
        for name in ("organisation", "academie"):
            if len(self.fields[name].queryset) == 1:
                self.fields[name].initial = self.fields[name].queryset[0]


class NewcomerForm(DsfrForm):
    academie = forms.ModelChoiceField(label="Académie", queryset=Academie.objects.none())
    first_name = forms.CharField(label="Prénom", max_length=80)
    initial = forms.CharField(label="Initiale du nom", max_length=1)
    birth_year = forms.IntegerField(label="Année de naissance", min_value=1990, max_value=2030)
    languages = forms.CharField(label="Langues parlées", max_length=200, required=False)
    french_level = forms.ChoiceField(label="Niveau de français", choices=FrenchLevel.choices)
    sector = forms.ChoiceField(label="Secteur recherché", choices=SECTOR_CHOICES)
    wish = forms.CharField(label="Métier ou formation recherchés", max_length=200, required=False)
    cv = forms.FileField(
        label="CV et lettre de motivation (un PDF)", help_text="PDF de 10 Mo au plus."
    )
    consent_giver = forms.ChoiceField(
        label="Consentement donné par", choices=ConsentGiver.choices, widget=forms.RadioSelect
    )
    consent_name = forms.CharField(label="Nom de la personne qui consent", max_length=150)
    consent = forms.BooleanField(
        label=f"Le texte de consentement (version {CONSENT_VERSION}) a été lu et accepté",
        help_text=CONSENT_TEXT,
    )

    def __init__(self, *args, academies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["academie"].queryset = academies
        if len(academies) == 1:
            self.fields["academie"].initial = academies[0]


class ShareForm(DsfrForm):
    organisation = forms.ModelChoiceField(
        label="Organisation engagée", queryset=Organisation.objects.none()
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class AnswerForm(DsfrForm):
    company = forms.ModelChoiceField(label="Entreprise", queryset=Organisation.objects.none())
    note = forms.CharField(
        label="Message au CASNAV", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, companies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = companies
        if len(companies) == 1:
            self.fields["company"].initial = companies[0]


class StepForm(DsfrForm):
    interview_on = forms.DateField(label="Date de l'entretien", required=False, widget=DATE)
    contract_kind = forms.ChoiceField(
        label="Contrat promis", choices=BLANK + ContractKind.choices, required=False
    )
    note = forms.CharField(label="Message", required=False, max_length=500)


class CasnavForm(DsfrForm):
    academie = forms.ModelChoiceField(label="Académie", queryset=Academie.objects.none())
    email = forms.EmailField(label="Courriel de la personne (compte Relais)")

    def __init__(self, *args, academies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["academie"].queryset = academies
        if len(academies) == 1:
            self.fields["academie"].initial = academies[0]
