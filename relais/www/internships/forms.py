"""Forms of the pôles de stages pages. They check types and formats; every rule lives in
``relais.internships.services``."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from relais.core.importing import fr_int
from relais.core.uploads import pupil_import_max_bytes, pupil_import_max_rows, size_fr
from relais.establishments.models import Establishment
from relais.internships.enums import CaseState, SchoolLevel
from relais.internships.fit import by_distance, fit
from relais.internships.models import (
    InternshipOffer,
    InternshipPeriod,
    OfferSlot,
    PlacementCase,
    PlacementHub,
)
from relais.internships.services.matching import check_window
from relais.matching import Policy
from relais.nomenclatures.enums import ROME_DOMAIN_CHOICES
from relais.nomenclatures.models import RomeCode
from relais.organisations.enums import OrganisationKind
from relais.organisations.selectors import organisations_visible_to
from relais.territories.models import Bassin
from relais.territories.selectors import bassins_visible_to
from relais.users.models import User
from relais.users.scopes import get_reach
from relais.www.forms import DsfrForm, DsfrModelForm
from relais.www.organisations.forms import CommuneField, NafField

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def school_choices(user):
    """The établissements where the user works (head of school, teacher)."""
    return Establishment.objects.filter(pk__in=get_reach(user).establishment_ids).order_by("name")


class WishesField(forms.CharField):
    """Up to five ROME families typed as « H22, D11 » (checked by the service)."""

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        text = super().to_python(value) or ""
        return [part.strip().upper() for part in text.replace(";", ",").split(",") if part.strip()]


class RomeField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 5)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, int):
            value = RomeCode.objects.filter(pk=value).first()
        return value.code if isinstance(value, RomeCode) else value

    def clean(self, value):
        value = (super().clean(value) or "").strip().upper()
        rome = RomeCode.objects.filter(code=value).first()
        if rome is None:
            raise forms.ValidationError("Code ROME inconnu : il s'écrit comme « H2201 ».")
        return rome


class CaseSearchForm(DsfrModelForm):
    """The search data of a pupil's case (opened or edited by the pupil's school)."""

    wishes = WishesField(
        label="Vœux (familles de métiers ROME)",
        required=False,
        help_text="Jusqu'à cinq, par ordre de préférence, séparés par des virgules : « H22, D11 ».",
    )
    home_commune = CommuneField(label="Commune de résidence", required=False)

    class Meta:
        model = PlacementCase
        fields = ["period", "wishes", "max_km", "home_commune", "needs_access"]

    def __init__(self, *args, pupil, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = InternshipPeriod.objects.filter(
            establishment_id=pupil.establishment_id, level=pupil.level
        ).order_by("-start")
        self.fields[
            "period"
        ].help_text = "Les périodes que l'établissement a déclarées pour le niveau de l'élève."

    def _post_clean(self):
        pass


class PupilImportForm(DsfrForm):
    """The import of the pupils who need an internship (``services.imports``)."""

    establishment = forms.ModelChoiceField(
        label="Établissement", queryset=Establishment.objects.none()
    )
    file = forms.FileField(label="Fichier CSV")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = (
            "Séparateur « ; », encodage UTF-8, une ligne d'en-tête (voir le modèle) ; "
            f"{size_fr(pupil_import_max_bytes())} et {fr_int(pupil_import_max_rows())} "
            "élèves au plus par fichier."
        )
        schools = school_choices(user)
        self.fields["establishment"].queryset = schools
        if len(schools) == 1:
            self.fields["establishment"].initial = schools[0]


class NoteForm(DsfrForm):
    note = forms.CharField(
        label="Note", required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class CaseFilterForm(forms.Form):
    state = forms.ChoiceField(
        label="Étape", required=False, choices=[("", "Toutes"), *CaseState.choices]
    )
    flagged = forms.BooleanField(label="En attente trop longue", required=False)
    mine = forms.BooleanField(label="Mes dossiers", required=False)


class AssignForm(DsfrForm):
    owner: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label="Suivi par", queryset=None, required=False
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members


if TYPE_CHECKING:
    _FormBase = forms.Form  # the mixin reads the form's fields and errors
else:
    _FormBase = object


class PlaceChoiceMixin(_FormBase):
    """The places that fit the pupil, nearest first, each with its distance, wish rank and
    warnings (``internships.fit``); a place with a warning needs the pôle's confirmation."""

    def _set_places(self, slots: QuerySet[OfferSlot], case: PlacementCase | None) -> None:
        self.case = case
        field = self.fields["slot"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = slots
        if case is None:
            return
        places = by_distance(case, list(slots))
        field.choices = [("", "---------")] + [
            (
                s.pk,
                f"{s.offer.host.name} — {s.offer.title} — semaine du {s.week:%d/%m/%Y} — "
                f"{fit(case, s).label} ({s.free} place{'s' if s.free > 1 else ''} "
                f"libre{'s' if s.free > 1 else ''})",
            )
            for s in places
        ]

    def _check_warnings(self, data: dict) -> None:
        slot = data.get("slot")
        if self.case is None or slot is None:
            return
        warnings = fit(self.case, slot).warnings
        if warnings and not data.get("confirm"):
            self.add_error(
                "confirm",
                f"Cette place est {' et '.join(warnings)} de l'élève : cochez la case pour "
                "la proposer quand même.",
            )


CONFIRM = forms.BooleanField(
    label="Je propose cette place malgré les avertissements (⚠)", required=False
)


class ProposalForm(PlaceChoiceMixin, DsfrForm):
    slot: forms.ModelChoiceField[OfferSlot] = forms.ModelChoiceField(
        label="Offre et semaine (la plus proche d'abord)", queryset=None
    )
    confirm = CONFIRM
    message = forms.CharField(
        label="Message à l'entreprise",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )

    def __init__(self, *args, slots, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_places(slots, case)

    def clean(self):
        data = super().clean()
        self._check_warnings(data)
        return data


class OfferForm(DsfrModelForm):
    rome = RomeField(label="Métier (code ROME)", help_text="Par exemple « H2201 ».")
    naf = NafField(label="Secteur (code NAF)", required=False, help_text="Par exemple « 10.71C ».")
    commune = CommuneField(
        label="Commune", help_text="Nom suivi du code postal, par exemple « Nîmes (30000) »."
    )
    levels = forms.MultipleChoiceField(
        label="Niveaux accueillis", choices=SchoolLevel.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = InternshipOffer
        fields = [
            "host",
            "posted_by",
            "bassin",
            "title",
            "description",
            "kind",
            "diploma",
            "specialty",
            "duration_weeks",
            "rome",
            "naf",
            "levels",
            "address",
            "commune",
            "accessible",
            "reserved_places",
            "tutor_name",
            "tutor_email",
            "tutor_civility",
            "tutor_function",
            "hours_per_day",
            "daily_schedule",
            "activities",
            "host_insurer",
            "host_insurance_policy",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "activities": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "bassin": "Laissez vide : le pôle est celui de la commune.",
            "duration_weeks": "Pour une PFMP ; 1 pour un stage de 3e, 2 pour un stage de seconde.",
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        visible = organisations_visible_to(reach=get_reach(user)).filter(archived_at__isnull=True)
        reach = get_reach(user)
        hosts = visible.filter(
            kind__in=[
                OrganisationKind.COMPANY,
                OrganisationKind.ASSOCIATION,
                OrganisationKind.PUBLIC_BODY,
            ]
        )
        if reach.organisation_ids and not (reach.bassin_ids or reach.managed_academie_ids):
            hosts = visible.filter(pk__in=reach.organisation_ids)
        self.fields["host"].queryset = hosts.order_by("name")
        self.fields["posted_by"].queryset = visible.order_by("name")
        self.fields["bassin"].queryset = bassins_visible_to(reach=get_reach(user))
        self.fields["bassin"].required = False
        if len(reach.hub_bassin_ids) == 1 and not self.instance.pk:
            # A pôle member with one pôle posts for it (issue 14).
            self.fields["bassin"].initial = next(iter(reach.hub_bassin_ids))

    def _post_clean(self):
        pass


class SlotForm(DsfrForm):
    week = forms.DateField(
        label="Semaine",
        widget=DATE_INPUT,
        help_text="Un jour de la semaine : le stage commence le lundi.",
    )
    capacity = forms.IntegerField(
        label="Places", min_value=0, max_value=500, help_text="0 retire la semaine."
    )

    def clean_week(self):
        day = self.cleaned_data["week"]
        return day - datetime.timedelta(days=day.weekday())


class PeriodForm(DsfrModelForm):
    establishment = forms.ModelChoiceField(
        label="Établissement", queryset=Establishment.objects.none()
    )

    class Meta:
        model = InternshipPeriod
        fields = [
            "establishment",
            "school_year",
            "level",
            "class_label",
            "start",
            "end",
            "duration_weeks",
            "pupil_count",
            "school_insurer",
            "school_insurance_policy",
        ]
        widgets = {"start": DATE_INPUT, "end": DATE_INPUT}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        schools = school_choices(user)
        if self.instance.pk:
            del self.fields["establishment"]
        else:
            self.fields["establishment"].queryset = schools
            if len(schools) == 1:
                self.fields["establishment"].initial = schools[0]

    def _post_clean(self):
        pass


class HubForm(DsfrModelForm):
    """The pôle's settings and its fairness policy; a pôle de filière also its sectors."""

    sectors = forms.MultipleChoiceField(
        label="Filières (grands domaines du ROME)",
        choices=ROME_DOMAIN_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Le pôle apporte aux calculs les offres de ces filières dans toute l'académie.",
    )

    class Meta:
        model = PlacementHub
        fields = ["name", "email", "alert_after_days", "answer_days", "policy"]
        widgets = {"policy": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.instance.is_sector:
            del self.fields["sectors"]
        elif self.instance.pk:
            self.fields["sectors"].initial = self.instance.sectors

    def _post_clean(self):
        pass


class HubSectorForm(HubForm):
    """A new pôle de filière, seated in one of the bassins the user manages."""

    bassin = forms.ModelChoiceField(
        label="Bassin où siège le pôle",
        queryset=Bassin.objects.none(),
        help_text="Les membres du pôle de stages de ce bassin en sont les membres.",
    )
    field_order = ["bassin", "name", "sectors"]

    def __init__(self, *args, bassins, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bassin"].queryset = bassins
        self.fields["sectors"].required = True


class AnswerForm(DsfrForm):
    decision = forms.ChoiceField(
        label="Votre réponse",
        choices=[("accept", "J'accueille l'élève"), ("refuse", "Je ne peux pas l'accueillir")],
        widget=forms.RadioSelect,
    )
    name = forms.CharField(label="Votre nom", max_length=150)
    note = forms.CharField(
        label="Message (facultatif)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class FeedbackForm(DsfrForm):
    would_host_again = forms.TypedChoiceField(
        label="Accueilleriez-vous de nouveau un élève ?",
        choices=[("1", "Oui"), ("0", "Non")],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label="Commentaire (facultatif)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class RunForm(DsfrForm):
    hub = forms.ModelChoiceField(label="Pôle de stages", queryset=PlacementHub.objects.none())
    window_start = forms.DateField(label="Du", widget=DATE_INPUT)
    window_end = forms.DateField(label="Au", widget=DATE_INPUT)
    policy = forms.ChoiceField(
        label="Règle d'équité",
        choices=[
            ("", "Celle que le pôle a choisie"),
            *[(p.value, p.label[:1].upper() + p.label[1:]) for p in Policy],
        ],
        initial="",
        required=False,
        help_text=(
            "Le moteur place toujours le plus d'élèves possible ; la règle choisit ensuite "
            "combien d'élèves prioritaires placer parmi ces placements (par défaut celle "
            "des réglages du pôle)."
        ),
    )

    def __init__(self, *args, hubs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hub"].queryset = hubs
        if len(hubs) == 1:
            self.fields["hub"].initial = hubs[0]

    def clean_policy(self) -> str:
        """Empty: the pôle's own policy (``PlacementHub.policy``)."""
        return self.cleaned_data.get("policy") or ""

    def clean(self):
        """The window's rule is the engine's (``services.matching.check_window``), shown
        here under the field before the run starts."""
        data = super().clean()
        start, end = data.get("window_start"), data.get("window_end")
        if start and end:
            try:
                check_window(start, end)
            except ValidationError as error:
                self.add_error(None, error)
        return data


class SuggestionForm(PlaceChoiceMixin, DsfrForm):
    slot: forms.ModelChoiceField[OfferSlot] = forms.ModelChoiceField(
        label="Offre et semaine (la plus proche d'abord)", queryset=None
    )
    confirm = CONFIRM

    def __init__(self, *args, slots, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_places(slots, case)

    def clean(self):
        data = super().clean()
        self._check_warnings(data)
        return data
