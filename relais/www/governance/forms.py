"""Forms of the governance pages: they check types and formats; the rules are the services'."""

from django import forms
from django.utils import timezone

from relais.core.school_years import school_year_label
from relais.governance import rules
from relais.governance.enums import AttendanceStatus, BodyKind, MemberRole
from relais.governance.models import ActionItem, AnnualReport, Body, BodyMember, Meeting
from relais.governance.selectors import agreements_managed_by
from relais.networks.selectors import clubs_managed_by
from relais.organisations.enums import OrganisationKind
from relais.organisations.selectors import organisations_visible_to
from relais.users.scopes import get_reach
from relais.www.forms import DsfrForm, DsfrModelForm

MONTH_CHOICES = [(m, rules.MONTH_NAMES[m].capitalize()) for m in rules.SCHOOL_YEAR_MONTHS]


class BodyForm(DsfrModelForm):
    required_months = forms.TypedMultipleChoiceField(
        label="Mois imposés",
        choices=MONTH_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Les mois où le texte impose une réunion (Lille : juin pour le comité "
        "stratégique, septembre et février pour le comité de pilotage régional).",
    )

    class Meta:
        model = Body
        fields = [
            "name",
            "kind",
            "agreement",
            "club",
            "min_meetings_per_year",
            "required_months",
            "rule_text",
        ]
        help_texts = {
            "rule_text": "Citez la phrase de la convention, par exemple « Il se réunit a minima "
            "une fois par an » (modèle CEE, article 6)."
        }
        widgets = {"rule_text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["agreement"]
            del self.fields["club"]
        else:
            self.fields["agreement"].queryset = agreements_managed_by(user).order_by("number")
            self.fields["agreement"].help_text = "Une convention ou un club, pas les deux."
            self.fields["club"].queryset = clubs_managed_by(user=user).order_by("name")

    def clean(self):
        data = super().clean()
        if not self.instance.pk and bool(data.get("agreement")) == bool(data.get("club")):
            self.add_error("agreement", "Choisissez la convention ou le club de l'instance.")
        return data


class MemberForm(DsfrModelForm):
    class Meta:
        model = BodyMember
        fields = ["full_name", "email", "role", "organisation", "organisation_label"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = (
            organisations_visible_to(reach=get_reach(user))
            .filter(archived_at__isnull=True)
            .exclude(kind=OrganisationKind.COMPANY)
            .order_by("name")
        )
        self.fields["organisation"].help_text = (
            "Organisation professionnelle ou organisme de l'annuaire ; pour une entreprise, "
            "écrivez son nom dans « structure »."
        )
        self.fields["role"].initial = MemberRole.MEMBER


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class MeetingForm(DsfrModelForm):
    class Meta:
        model = Meeting
        fields = ["starts_at", "place", "agenda"]
        widgets = {"starts_at": DateTimeInput(), "agenda": forms.Textarea(attrs={"rows": 5})}
        help_texts = {"starts_at": "Date et heure de début."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["starts_at"].input_formats = ["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"]
        if self.instance.pk:
            self.initial["starts_at"] = timezone.localtime(self.instance.starts_at)


class MinutesForm(DsfrForm):
    minutes_text = forms.CharField(
        label="Compte rendu", required=False, widget=forms.Textarea(attrs={"rows": 12})
    )
    minutes_file = forms.FileField(
        label="Ou déposez le compte rendu en PDF",
        required=False,
        help_text="PDF uniquement ; le contenu du fichier est vérifié.",
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )


class DecisionForm(DsfrForm):
    text = forms.CharField(label="Décision", widget=forms.Textarea(attrs={"rows": 2}))


class ActionItemForm(DsfrModelForm):
    class Meta:
        model = ActionItem
        fields = ["description", "owner", "owner_email", "due_date"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {"owner_email": "Le responsable reçoit un rappel 7 jours avant l'échéance."}


class AttendanceForm(DsfrForm):
    """One choice per member of the body: « status_<member id> »."""

    def __init__(self, *args, members, current: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = members
        for member in members:
            self.fields[f"status_{member.pk}"] = forms.ChoiceField(
                label=f"{member.full_name}{f' ({member.structure})' if member.structure else ''}",
                choices=[("", "Non renseigné"), *AttendanceStatus.choices],
                required=False,
                initial=current.get(member.pk, ""),
            )

    def statuses(self) -> dict[int, str]:
        return {
            member.pk: self.cleaned_data[f"status_{member.pk}"]
            for member in self.members
            if self.cleaned_data.get(f"status_{member.pk}")
        }


class ReportCreateForm(DsfrForm):
    school_year = forms.TypedChoiceField(label="Année scolaire", coerce=int)

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school_year"].choices = [(y, school_year_label(y)) for y in years]


class ReportForm(DsfrModelForm):
    class Meta:
        model = AnnualReport
        fields = ["summary", "figures", "action_plan"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 6}),
            "figures": forms.Textarea(attrs={"rows": 4}),
            "action_plan": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, results, **kwargs):
        super().__init__(*args, **kwargs)
        self.results = results
        for result in results:
            commitment = result.commitment
            self.fields[f"achieved_{commitment.pk}"] = forms.IntegerField(
                label=f"Réalisé — {commitment.description}",
                min_value=0,
                required=False,
                initial=result.achieved,
                help_text=f"Engagement : {commitment.quantity} {commitment.unit}".strip()
                if commitment.quantity
                else "",
            )
            self.fields[f"comment_{commitment.pk}"] = forms.CharField(
                label=f"Commentaire — {commitment.description}",
                required=False,
                initial=result.comment,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def result_values(self) -> dict[int, dict]:
        return {
            r.commitment_id: {
                "achieved": self.cleaned_data.get(f"achieved_{r.commitment_id}"),
                "comment": self.cleaned_data.get(f"comment_{r.commitment_id}", ""),
            }
            for r in self.results
        }


class BodyFilterForm(forms.Form):
    """Filters of the body list (convention, kind, compliance)."""

    convention = forms.TypedChoiceField(
        label="Convention", required=False, coerce=int, empty_value=None
    )
    kind = forms.ChoiceField(
        label="Type", required=False, choices=[("", "Tous"), *BodyKind.choices]
    )
    conformite = forms.ChoiceField(
        label="Conformité (année en cours)",
        required=False,
        choices=[
            ("", "Toutes"),
            (rules.MISSED, rules.STATUS_LABELS[rules.MISSED]),
            (rules.AT_RISK, rules.STATUS_LABELS[rules.AT_RISK]),
            (rules.MET, rules.STATUS_LABELS[rules.MET]),
            ("sans_objet", "Sans objet (convention pas en vigueur)"),
        ],
    )

    def __init__(self, *args, conventions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["convention"].choices = [("", "Toutes")] + [
            (a.pk, f"{a.number} — {a.title}") for a in conventions
        ]
