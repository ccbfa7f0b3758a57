"""Forms of the volunteers pages. They check types and formats; every rule is in the services."""

from django import forms

from relais.agreements.models import Agreement
from relais.core import confidentiality
from relais.establishments.models import Establishment
from relais.networks.models import Campus, Club
from relais.nomenclatures.models import RomeCode
from relais.organisations.enums import OrganisationKind
from relais.organisations.models import Organisation
from relais.organisations.selectors import organisations_visible_to
from relais.territories.models import Academie, Bassin
from relais.users.scopes import get_reach
from relais.volunteers.enums import (
    AdvisorKind,
    Availability,
    CourseFunction,
    CoursePart,
    InterventionDomain,
    ProfessionalStatus,
    ReserveSkill,
    SeatKind,
)
from relais.volunteers.selectors import cee_agreements_in_force
from relais.www.forms import DsfrForm
from relais.www.organisations.forms import CommuneField, NafField

DATE = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


def _date(label, **kwargs):
    return forms.DateField(label=label, **DATE, **kwargs)


class UaiField(forms.CharField):
    """An établissement typed by its UAI, looked up among ``queryset``."""

    def __init__(self, *, queryset=None, **kwargs):
        kwargs.setdefault("max_length", 8)
        kwargs.setdefault("help_text", "8 caractères, par exemple « 0341234A ».")
        super().__init__(**kwargs)
        self.queryset = queryset if queryset is not None else Establishment.objects.none()

    def prepare_value(self, value):
        return value.uai if isinstance(value, Establishment) else value

    def clean(self, value):
        value = (super().clean(value) or "").strip().upper()
        if not value:
            return None
        school = self.queryset.filter(uai=value).first()
        if school is None:
            raise forms.ValidationError("Établissement inconnu dans votre périmètre : « %(v)s ».",
                                        params={"v": value})  # fmt: skip
        return school


class RomeField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 5)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return value.code if isinstance(value, RomeCode) else value

    def clean(self, value):
        value = (super().clean(value) or "").strip().upper()
        if not value:
            return None
        rome = RomeCode.objects.filter(code=value).first()
        if rome is None:
            raise forms.ValidationError("Code ROME inconnu : il s'écrit comme « F1703 ».")
        return rome


# --- CEE and CET -------------------------------------------------------------------------------


def confidentiality_field() -> forms.BooleanField:
    """The confidentiality undertaking (CPME Île-de-France text, art. 3.2), its text shown."""
    return forms.BooleanField(
        label="Je prends l'engagement de confidentialité",
        help_text=f"« {confidentiality.text()} » ({confidentiality.SOURCE}, "
        f"version {confidentiality.VERSION})",
    )


class AdvisorProposalForm(DsfrForm):
    agreement: forms.ModelChoiceField[Agreement] = forms.ModelChoiceField(
        label="Convention CEE en vigueur", queryset=None, required=False,
        help_text="Article 1 : la convention au titre de laquelle le candidat est proposé.",
    )  # fmt: skip
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label="Organisation qui propose", queryset=None
    )
    academie: forms.ModelChoiceField[Academie] = forms.ModelChoiceField(
        label="Académie", queryset=None, required=False,
        help_text="Pour un CET, ou une convention de région académique.",
    )  # fmt: skip
    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    email = forms.EmailField(label="Courriel")
    phone = forms.CharField(label="Téléphone", max_length=40, required=False)
    status = forms.ChoiceField(label="Statut", choices=ProfessionalStatus.choices)
    employer_name = forms.CharField(label="Employeur", max_length=255)
    job_title = forms.CharField(label="Fonction dans l'entreprise", max_length=200, required=False)
    sectors = forms.CharField(
        label="Secteurs d'expertise",
        max_length=500,
        help_text="En clair, par exemple « bâtiment ».",
    )
    specialty = forms.CharField(
        label="Spécialité",
        max_length=200,
        required=False,
        help_text="Pour un CET : la spécialité de diplômes où il conseille, par exemple "
        "« maintenance des véhicules ».",
    )
    naf = NafField(label="Secteur (code NAF)", required=False, help_text="Par exemple « 43.99C ».")
    rome = RomeField(label="Métier (code ROME)", required=False, help_text="Par exemple « F1703 ».")
    domains = forms.MultipleChoiceField(
        label="Domaines d'intervention (article 2)",
        choices=InterventionDomain.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    proposal_note = forms.CharField(
        label="Observations", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, user, kind, **kwargs):
        super().__init__(*args, **kwargs)
        from relais.territories.models import Academie

        reach = get_reach(user)
        self.kind = kind
        self.fields["agreement"].queryset = cee_agreements_in_force(user=user)
        organisations = organisations_visible_to(reach=get_reach(user)).filter(
            archived_at__isnull=True
        )
        if not (reach.national or reach.managed_academie_ids):
            organisations = organisations.filter(pk__in=reach.organisation_ids)
        else:
            organisations = organisations.exclude(kind=OrganisationKind.COMPANY)
        self.fields["organisation"].queryset = organisations.order_by("name")
        # The académies the user works in; the service then checks that the organisation
        # covers the one chosen (a national organisation's representative: all).
        academies = reach.managed_academie_ids | reach.academie_ids
        everywhere = reach.national or reach.all_establishments
        self.fields["academie"].queryset = (
            Academie.objects.all() if everywhere else Academie.objects.filter(pk__in=academies)
        )
        if kind == AdvisorKind.CEE:
            self.fields["agreement"].required = True
        else:
            del self.fields["agreement"]
            self.fields["academie"].required = True


class DesignationForm(DsfrForm):
    mandate_start = _date("Début du mandat")
    mandate_end = _date("Fin du mandat", help_text="Au plus la fin de la convention CEE.")
    mission = forms.CharField(
        label="Nature de la mission", widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )
    geographic_scope = forms.CharField(
        label="Champ géographique", max_length=255,
        help_text="Académie, département, bassin ou établissements.",
    )  # fmt: skip
    contact_name = forms.CharField(label="Référent au sein de l'académie", max_length=200)
    contact_email = forms.EmailField(label="Courriel du référent")
    contact_phone = forms.CharField(label="Téléphone du référent", max_length=40, required=False)


class ReasonForm(DsfrForm):
    reason = forms.CharField(
        label="Motif", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class EmployerInformedForm(DsfrForm):
    informed_on = _date("L'employeur a été informé le")


class InterventionForm(DsfrForm):
    domain = forms.ChoiceField(label="Domaine (article 2)", choices=InterventionDomain.choices)
    establishment = UaiField(label="Établissement (UAI)")
    date = _date("Date")
    hours = forms.DecimalField(
        label="Durée (heures)", min_value=0.5, max_value=200, decimal_places=1
    )
    description = forms.CharField(label="Description", max_length=500, required=False)

    def __init__(self, *args, academie_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["establishment"].queryset = Establishment.objects.filter(
            academie_id=academie_id
        )


# --- Réserve citoyenne ------------------------------------------------------------------------


class ReserveSignupForm(DsfrForm):
    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    email = forms.EmailField(label="Courriel")
    phone = forms.CharField(label="Téléphone", max_length=40, required=False)
    profession = forms.CharField(label="Profession", max_length=200)
    employer_name = forms.CharField(label="Employeur ou structure", max_length=255, required=False)
    sectors = forms.CharField(label="Secteurs d'activité", max_length=500, required=False)
    skills = forms.MultipleChoiceField(
        label="Ce que je peux apporter aux élèves",
        choices=ReserveSkill.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    skills_detail = forms.CharField(
        label="Précisions sur mon expérience", required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    availability = forms.MultipleChoiceField(
        label="Mes disponibilités", choices=Availability.choices,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    commune = CommuneField(
        label="Commune de résidence",
        help_text="Nom suivi du code postal, par exemple « Montpellier (34000) ».",
    )
    max_distance_km = forms.IntegerField(
        label="Distance que j'accepte de parcourir (km)", min_value=1, max_value=200, initial=30
    )
    charter_accepted = forms.BooleanField(
        label="J'ai lu la charte de la réserve citoyenne et je m'engage à la respecter",
    )
    confidentiality_accepted = confidentiality_field()
    # A field hidden from people: a robot that fills it is refused.
    website = forms.CharField(required=False, label="Ne pas remplir", max_length=200)


class ReserveRequestForm(DsfrForm):
    subject = forms.CharField(label="Objet", max_length=200)
    skill = forms.ChoiceField(label="Thème", choices=ReserveSkill.choices)
    message = forms.CharField(
        label="Votre projet", widget=forms.Textarea(attrs={"rows": 5}), max_length=4000,
        help_text="Classe, nombre d'élèves, ce que vous attendez de l'intervention.",
    )  # fmt: skip
    wished_date = _date("Date souhaitée", required=False)


class AnswerForm(DsfrForm):
    note = forms.CharField(
        label="Message (facultatif)", required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip


class RequestDoneForm(DsfrForm):
    done_on = _date("Date de l'intervention")
    hours = forms.DecimalField(
        label="Durée (heures)", min_value=0.5, max_value=100, decimal_places=1
    )
    pupils = forms.IntegerField(label="Nombre d'élèves", min_value=0, max_value=2000)


# --- Immersions and the 56-hour course ---------------------------------------------------------


class OfferForm(DsfrForm):
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label="Entreprise", queryset=None
    )
    title = forms.CharField(label="Intitulé", max_length=200)
    description = forms.CharField(
        label="Programme", widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )
    place = forms.CharField(label="Lieu", max_length=255, required=False)
    start_date = _date("Premier jour")
    end_date = _date("Dernier jour", help_text="Une immersion dure de 1 à 3 jours.")
    capacity = forms.IntegerField(label="Nombre de places", min_value=1, max_value=50)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        reach = get_reach(user)
        organisations = organisations_visible_to(reach=get_reach(user)).filter(
            archived_at__isnull=True, academie__isnull=False
        )
        if not (reach.national or reach.managed_academie_ids):
            organisations = organisations.filter(pk__in=reach.organisation_ids)
        else:
            organisations = organisations.filter(kind=OrganisationKind.COMPANY)
        self.fields["organisation"].queryset = organisations.order_by("name")


class ApplyForm(DsfrForm):
    motivation = forms.CharField(
        label="Votre motivation", widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )
    confidentiality_accepted = confidentiality_field()


class EvaluationForm(DsfrForm):
    rating = forms.TypedChoiceField(
        label="Appréciation d'ensemble",
        choices=[(i, f"{i} sur 5") for i in range(5, 0, -1)],
        coerce=int,
    )
    evaluation = forms.CharField(
        label="Ce que vous en retenez", widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )


class CourseForm(DsfrForm):
    academie: forms.ModelChoiceField[Academie] = forms.ModelChoiceField(
        label="Académie", queryset=None
    )
    title = forms.CharField(label="Intitulé", max_length=200)
    start_date = _date("Début du parcours")
    preparation_end = _date("Fin de la préparation à distance (12 h)")
    immersion_end = _date("Fin de l'immersion en entreprise (35 h)")
    end_date = _date("Fin de la valorisation (9 h) et du parcours")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from relais.territories.models import Academie

        reach = get_reach(user)
        self.fields["academie"].queryset = (
            Academie.objects.all()
            if reach.national
            else Academie.objects.filter(pk__in=reach.managed_academie_ids)
        )


class ParticipantForm(DsfrForm):
    full_name = forms.CharField(label="Prénom et nom", max_length=200)
    email = forms.EmailField(label="Courriel")
    function = forms.ChoiceField(label="Fonction", choices=CourseFunction.choices)
    establishment = UaiField(label="Établissement (UAI)", required=False)

    def __init__(self, *args, academie_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["establishment"].queryset = Establishment.objects.filter(
            academie_id=academie_id
        )


class HoursForm(DsfrForm):
    part = forms.ChoiceField(label="Partie du parcours", choices=CoursePart.choices)
    hours = forms.DecimalField(label="Heures", min_value=0.5, max_value=35, decimal_places=1)
    done_on = _date("Date")


class RenewForm(DsfrForm):
    mandate_end = _date("Nouvelle fin du mandat")
    note = forms.CharField(label="Observations", max_length=500, required=False)


class SeatForm(DsfrForm):
    """A seat of a conseiller: the body of its kind (the others are ignored by the service)."""

    kind = forms.ChoiceField(label="Instance", choices=SeatKind.choices)
    club = forms.ModelChoiceField(label="CLEE", queryset=Club.objects.none(), required=False)
    campus = forms.ModelChoiceField(
        label="Campus des métiers et des qualifications",
        queryset=Campus.objects.none(),
        required=False,
    )
    bassin = forms.ModelChoiceField(
        label="Pôle de stages (bassin)", queryset=Bassin.objects.none(), required=False
    )
    commission = forms.CharField(
        label="Commission professionnelle consultative",
        max_length=200,
        required=False,
        help_text="Par exemple « CPC Industrie ».",
    )
    started_on = _date("Depuis le")

    def __init__(self, *args, academie_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["club"].queryset = Club.objects.filter(academie_id=academie_id)
        self.fields["campus"].queryset = Campus.objects.filter(academie_id=academie_id)
        self.fields["bassin"].queryset = Bassin.objects.filter(academie_id=academie_id).order_by(
            "name"
        )
