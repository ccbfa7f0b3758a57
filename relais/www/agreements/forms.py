from django import forms

from relais.agreements.deadline_events import DeadlineKind
from relais.agreements.enums import (
    AgreementKind,
    AgreementScope,
    AgreementState,
    SignatureMode,
)
from relais.agreements.models import Agreement, Article, Commitment, Party, Signatory
from relais.agreements.selectors import agreements_visible_to
from relais.core.uploads import pdf_max_bytes, size_fr
from relais.establishments.selectors import establishments_visible_to
from relais.organisations.selectors import organisation_list
from relais.territories.models import AcademicRegion, Academie, Bassin
from relais.users.scopes import get_reach
from relais.www.forms import DsfrForm, DsfrModelForm

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AgreementFilterForm(DsfrForm):
    q = forms.CharField(label="Recherche (titre, articles, parties)", required=False)
    state = forms.ChoiceField(
        label="État", required=False, choices=[("", "Tous")] + AgreementState.choices
    )
    kind = forms.ChoiceField(
        label="Type", required=False, choices=[("", "Tous")] + AgreementKind.choices
    )
    scope = forms.ChoiceField(
        label="Périmètre", required=False, choices=[("", "Tous")] + AgreementScope.choices
    )
    partner = forms.ChoiceField(label="Partenaire", required=False)
    ends_within = forms.ChoiceField(
        label="Fin de période dans",
        required=False,
        choices=[("", "Indifférent"), ("30", "30 jours"), ("90", "90 jours"), ("180", "6 mois"),
                 ("365", "1 an")],
    )  # fmt: skip

    def __init__(self, *args, partners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].choices = [("", "Tous")] + [(p.pk, p.name) for p in partners]


class AgreementCreateForm(DsfrModelForm):
    class Meta:
        model = Agreement
        fields = [
            "title",
            "kind",
            "scope",
            "academic_region",
            "academie",
            "bassin",
            "establishment",
            "supersedes",
        ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        reach = get_reach(user)
        self.fields["kind"].choices = [
            c for c in AgreementKind.choices if c[0] != AgreementKind.AVENANT
        ]
        managed = (
            Academie.objects.all()
            if reach.national
            else Academie.objects.filter(pk__in=reach.managed_academie_ids)
        )
        self.fields["academie"].queryset = managed.order_by("name")
        self.fields["academic_region"].queryset = (
            AcademicRegion.objects.all()
            if reach.national
            else AcademicRegion.objects.filter(pk__in=reach.managed_region_ids)
        ).order_by("name")
        self.fields["bassin"].queryset = (
            Bassin.objects.filter(academie__in=managed)
            .select_related("academie")
            .order_by("academie__name", "name")
        )
        self.fields["establishment"].widget = forms.TextInput(
            attrs={"placeholder": "UAI, ex. 0340001A"}
        )
        self.fields["establishment"].help_text = "Pour une convention d'établissement : son UAI."
        self.fields["establishment"].to_field_name = "uai"
        self.fields["establishment"].queryset = establishments_visible_to(reach=get_reach(user))
        self.fields["supersedes"].queryset = (
            agreements_visible_to(user)
            .filter(state=AgreementState.IN_FORCE)
            .exclude(kind=AgreementKind.AVENANT)
        )
        self.fields["supersedes"].help_text = (
            "Si elle remplace une convention en vigueur, celle-ci prendra fin la veille de son "
            "entrée en vigueur."
        )

    def _get_validation_exclusions(self):
        # The service fills the territory from the scope (a bassin brings its académie) and
        # names the missing field in French: the model's scope constraint is not checked on
        # the half-filled instance (it refused every bassin or établissement convention).
        territory = {"academic_region", "academie", "bassin", "establishment"}
        return super()._get_validation_exclusions() | territory


class AgreementEditForm(DsfrModelForm):
    class Meta:
        model = Agreement
        fields = [
            "title",
            "legal_basis",
            "preamble",
            "effective_date",
            "duration_months",
            "tacit_renewal",
            "max_renewals",
            "notice_months",
            "termination_months",
            "dispute_clause",
            "competent_court",
            "confidentiality_clause",
            "open_to_new_signatories",
        ]
        widgets = {"effective_date": DATE_WIDGET}


class ClauseChangesForm(DsfrForm):
    """What an avenant changes in the clauses of its convention (empty: unchanged)."""

    duration_months = forms.IntegerField(label="Nouvelle durée (mois)", required=False, min_value=1)
    tacit_renewal = forms.NullBooleanField(
        label="Reconduction tacite",
        required=False,
        widget=forms.Select(choices=[("unknown", "Inchangée"), ("true", "Oui"), ("false", "Non")]),
    )
    max_renewals = forms.IntegerField(label="Nombre de reconductions", required=False, min_value=0)
    notice_months = forms.IntegerField(label="Préavis (mois)", required=False, min_value=0)
    termination_months = forms.IntegerField(
        label="Délai de résiliation (mois)", required=False, min_value=0
    )
    competent_court = forms.CharField(label="Juridiction compétente", required=False)

    def changes(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


class PartyForm(DsfrModelForm):
    class Meta:
        model = Party
        fields = ["organisation", "name", "short_name", "side", "represented_by", "address"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisation_list(reach=get_reach(user)).order_by(
            "name"
        )
        self.fields[
            "organisation"
        ].help_text = "Si la partie figure dans l'annuaire des partenaires."
        self.fields["name"].required = False
        self.fields["name"].help_text = "Vide : le nom de l'organisation choisie."


class SignatoryForm(DsfrModelForm):
    class Meta:
        model = Signatory
        fields = ["party", "full_name", "title", "email"]
        labels = {"party": "Partie"}  # the model field has no French name

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = agreement.parties.all()


class ArticleForm(DsfrModelForm):
    class Meta:
        model = Article
        fields = ["number", "heading", "body", "removes"]

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        if not agreement.is_avenant:
            del self.fields["removes"]
        else:
            self.fields[
                "removes"
            ].help_text = "Cochez pour supprimer l'article de ce numéro dans la convention."


class CommitmentForm(DsfrModelForm):
    class Meta:
        model = Commitment
        fields = ["party", "category", "description", "quantity", "unit", "due_date",
                  "article_number"]  # fmt: skip
        widgets = {"due_date": DATE_WIDGET}

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = agreement.parties.all()


class SignatureForm(DsfrForm):
    signed_on = forms.DateField(label="Date de signature", widget=DATE_WIDGET)
    mode = forms.ChoiceField(label="Mode de signature", choices=SignatureMode.choices)


class NoteForm(DsfrForm):
    note = forms.CharField(label="Motif", widget=forms.Textarea(attrs={"rows": 3}))


class OptionalNoteForm(DsfrForm):
    note = forms.CharField(
        label="Commentaire (facultatif)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class TerminationForm(DsfrForm):
    notice_received_on = forms.DateField(
        label="Dénonciation reçue le",
        widget=DATE_WIDGET,
        help_text="Date de réception de la notification écrite (pour Lille : date d'envoi de "
        "la lettre recommandée).",
    )
    party = forms.ModelChoiceField(label="Partie qui dénonce", queryset=Party.objects.none(),
                                   required=False)  # fmt: skip
    reason = forms.CharField(label="Motif", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = agreement.parties.all()


class AvenantForm(DsfrForm):
    title = forms.CharField(
        label="Intitulé de l'avenant",
        required=False,
        help_text="Vide : « Avenant n° N — intitulé de la convention ».",
    )


class DeclineForm(DsfrForm):
    title = forms.CharField(label="Intitulé de la convention locale")
    scope = forms.ChoiceField(
        label="Périmètre",
        choices=[(s, label) for s, label in AgreementScope.choices
                 if s in (AgreementScope.ACADEMIE, AgreementScope.BASSIN,
                          AgreementScope.ESTABLISHMENT)],
    )  # fmt: skip
    academie = forms.ModelChoiceField(label="Académie", queryset=Academie.objects.none(),
                                      required=False)  # fmt: skip
    bassin = forms.ModelChoiceField(label="Bassin", queryset=Bassin.objects.none(), required=False)
    establishment = forms.CharField(label="UAI de l'établissement", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        reach = get_reach(user)
        managed = (
            Academie.objects.all()
            if reach.national
            else Academie.objects.filter(pk__in=reach.managed_academie_ids)
        )
        self.fields["academie"].queryset = managed
        self.fields["bassin"].queryset = Bassin.objects.filter(academie__in=managed)
        self.user = user

    def clean_establishment(self):
        uai = self.cleaned_data["establishment"].strip().upper()
        if not uai:
            return None
        school = establishments_visible_to(reach=get_reach(self.user)).filter(uai=uai).first()
        if school is None:
            raise forms.ValidationError("Aucun établissement de votre périmètre n'a cet UAI.")
        return school


class ScanForm(DsfrForm):
    file = forms.FileField(label="Convention signée (PDF)")
    note = forms.CharField(label="Description (facultatif)", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = f"PDF uniquement, {size_fr(pdf_max_bytes())} au plus."


# Each kind of deadline: the filter's option, then how a count names it (one, several).
DEADLINE_KINDS = {
    DeadlineKind.RENEWAL: (
        "Reconductions tacites", "reconduction tacite", "reconductions tacites"
    ),
    DeadlineKind.NOTICE: (
        "Derniers jours pour dénoncer", "dernier jour pour dénoncer",
        "derniers jours pour dénoncer",
    ),
    DeadlineKind.END_OF_TERM: (
        "Fins de période ou de convention", "fin de période ou de convention",
        "fins de période ou de convention",
    ),
}  # fmt: skip


class DeadlinesForm(DsfrForm):
    """The Échéances page's filters; a value out of its choices is ignored (the others
    stay), as a hand-edited address must not empty the page."""

    days = forms.TypedChoiceField(
        label="Horizon",
        coerce=int,
        choices=[(30, "30 jours"), (90, "90 jours"), (180, "6 mois"), (365, "1 an")],
        initial=90,
        required=False,
    )
    kind = forms.ChoiceField(
        label="Échéance",
        choices=[("", "Toutes")]
        + [(kind.value, names[0]) for kind, names in DEADLINE_KINDS.items()],
        required=False,
    )
    scope = forms.ChoiceField(
        label="Périmètre", choices=[("", "Tous")] + AgreementScope.choices, required=False
    )

    def filters(self) -> dict:
        """The valid values (defaults for the others): ``days``, ``kind``, ``scope``."""
        data = {}
        if self.is_bound:
            self.is_valid()
            data = self.cleaned_data
        return {
            "days": data.get("days") or 90,
            "kind": data.get("kind") or "",
            "scope": data.get("scope") or "",
        }


class TemplateFieldsForm(DsfrForm):
    """One text field per template field to complete (labels from the model's blanks)."""

    def __init__(self, *args, names, **kwargs):
        from relais.agreements.documents import CEE_FIELD_LABELS

        super().__init__(*args, **kwargs)
        for name in names:
            self.fields[name] = forms.CharField(
                label=CEE_FIELD_LABELS.get(name, name),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
