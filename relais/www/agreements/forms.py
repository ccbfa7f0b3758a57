from django import forms

from relais.agreements.deadline_events import DeadlineKind
from relais.agreements.enums import (
    AgreementKind,
    AgreementScope,
    AgreementState,
    ArticleOperation,
    AvenantPurpose,
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
                 ("365", "1 an"), ("730", "2 ans"), ("1095", "3 ans"), ("1826", "5 ans")],
    )  # fmt: skip

    def __init__(self, *args, partners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].choices = [("", "Tous")] + [(p.pk, p.name) for p in partners]


def _only(ids, national: bool = False):
    """The one id of ``ids`` (a form's choice to pre-select), None when there are several or
    none, or for a national user who chooses among all of them."""
    return next(iter(ids)) if len(ids) == 1 and not national else None


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
        # A team that manages one académie starts from it (issue 14: no « --------- »).
        academie_id = _only(reach.managed_academie_ids, reach.national)
        if academie_id is not None:
            self.fields["scope"].initial = AgreementScope.ACADEMIE
            self.fields["academie"].initial = academie_id
        region_id = _only(reach.managed_region_ids, reach.national)
        if region_id is not None:
            self.fields["academic_region"].initial = region_id

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
            "duration_unit",
            "tacit_renewal",
            "max_renewals",
            "notice_months",
            "termination_months",
            "termination_from_sending",
            "breach_months",
            "breach_from_sending",
            "dispute_clause",
            "competent_court",
            "confidentiality_clause",
            "open_to_new_signatories",
            "signature_place",
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
        fields = [
            "organisation",
            "name",
            "short_name",
            "side",
            "represented_by",
            "address",
            "signs_adhesions",
        ]

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
        fields = ["party", "civility", "full_name", "title", "email", "signs_electronically"]
        labels = {"party": "Partie"}  # the model field has no French name

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = agreement.parties.all()


class ArticleForm(DsfrModelForm):
    class Meta:
        model = Article
        fields = ["number", "heading", "body", "operation"]

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        if not agreement.is_avenant:
            del self.fields["operation"]
        else:
            self.fields["operation"].choices = [
                ("", "— choisir —"),
                *[c for c in ArticleOperation.choices if c[0]],
            ]
            self.fields["operation"].required = True
            self.fields["operation"].help_text = (
                "Ce que l'avenant fait à la convention : remplacer ou supprimer l'article de "
                "ce numéro, ou ajouter un nouvel article."
            )


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


class ElectronicSignatureForm(DsfrForm):
    code = forms.CharField(
        label="Code reçu par courriel",
        max_length=6,
        min_length=6,
        help_text="Six chiffres, valable quinze minutes.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
    consent = forms.BooleanField(
        label="J'ai lu la convention et je consens à la signer électroniquement au nom de la "
        "partie que je représente.",
        required=False,
    )


class NoteForm(DsfrForm):
    note = forms.CharField(label="Motif", widget=forms.Textarea(attrs={"rows": 3}))


class OptionalNoteForm(DsfrForm):
    note = forms.CharField(
        label="Commentaire (facultatif)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


def _letter_date(from_sending: bool, what: str) -> tuple[str, str]:
    """The label and help of the date field: the text counts from the sending or from the
    receipt of the letter (Lille's breach clause: « suivant l'envoi d'une lettre
    recommandée »), and the form asks for that date."""
    if from_sending:
        return f"{what} envoyée le", "Le texte compte le délai à partir de l'envoi de la lettre."
    return f"{what} reçue le", "Le texte compte le délai à partir de la réception de la lettre."


class TerminationForm(DsfrForm):
    notice_received_on = forms.DateField(label="Dénonciation reçue le", widget=DATE_WIDGET)
    party = forms.ModelChoiceField(label="Partie qui dénonce", queryset=Party.objects.none(),
                                   required=False)  # fmt: skip
    reason = forms.CharField(label="Motif", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, agreement, parties=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = Party.objects.filter(
            pk__in=[p.pk for p in (parties if parties is not None else agreement.parties.all())]
        )
        label, help_text = _letter_date(agreement.termination_from_sending, "Dénonciation")
        self.fields["notice_received_on"].label = label
        self.fields["notice_received_on"].help_text = help_text
        self._bound_fields_cache.clear()  # django-dsfr bound the fields with their old label


class EndingForm(DsfrForm):
    """A notice of non-renewal, a termination for breach or a mutual agreement: the date of
    the letter (or of the agreement), who, why; for a mutual agreement the last day agreed."""

    on = forms.DateField(label="Notification reçue le", widget=DATE_WIDGET)
    ends_on = forms.DateField(
        label="Dernier jour en vigueur convenu", widget=DATE_WIDGET, required=False
    )
    party = forms.ModelChoiceField(
        label="Partie à l'origine", queryset=Party.objects.none(), required=False
    )
    reason = forms.CharField(label="Motif", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, agreement, step, parties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = Party.objects.filter(pk__in=[p.pk for p in parties])
        if step == "commun_accord":
            self.fields["on"].label = "Accord conclu le"
            self.fields["ends_on"].required = True
            del self.fields["party"]
        else:
            del self.fields["ends_on"]
        if step == "resiliation_faute":
            label, help_text = _letter_date(agreement.breach_from_sending, "Mise en demeure")
            self.fields["on"].label, self.fields["on"].help_text = label, help_text
        elif step == "non_reconduction":
            self.fields["on"].label = "Non-reconduction notifiée le"
            self.fields["on"].help_text = "Date de réception de la notification écrite."
        self._bound_fields_cache.clear()  # django-dsfr bound the fields with their old label


class WithdrawalForm(DsfrForm):
    party = forms.ModelChoiceField(label="Partie qui se retire", queryset=Party.objects.none())
    on = forms.DateField(label="Retrait notifié le", widget=DATE_WIDGET)
    reason = forms.CharField(label="Motif", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, parties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = Party.objects.filter(pk__in=[p.pk for p in parties])


class ReferenceDateForm(DsfrForm):
    """« Version au … »: the day a page or an answer shows the convention as it stood."""

    on = forms.DateField(label="Version au", widget=DATE_WIDGET, required=False)

    def day(self):
        from relais.core.dates import date_in_range

        if not self.is_bound or not self.is_valid():
            return None
        on = self.cleaned_data.get("on")
        return on if on is not None and date_in_range(on) else None


class AvenantForm(DsfrForm):
    title = forms.CharField(
        label="Intitulé de l'avenant",
        required=False,
        help_text="Vide : « Avenant n° N — intitulé de la convention ».",
    )
    purpose = forms.ChoiceField(
        label="Objet",
        choices=AvenantPurpose.choices,
        initial=AvenantPurpose.CHANGE,
        required=False,
        help_text="Une adhésion est signée par la nouvelle partie et par les parties que la "
        "convention désigne (« signe les avenants d'adhésion »).",
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
        academie_id = _only(reach.managed_academie_ids, reach.national)
        if academie_id is not None:
            self.fields["scope"].initial = AgreementScope.ACADEMIE
            self.fields["academie"].initial = academie_id

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
        # Beyond a year too (issue 13): a five-year convention's end, a renewal in two years.
        choices=[
            (30, "30 jours"),
            (90, "90 jours"),
            (180, "6 mois"),
            (365, "1 an"),
            (730, "2 ans"),
            (1095, "3 ans"),
            (1826, "5 ans"),
        ],  # fmt: skip
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
