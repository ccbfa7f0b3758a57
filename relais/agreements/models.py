"""Partnership conventions: their scope, parties, signatories, articles, commitments,
clauses, frozen versions, avenants, signed scans and the journal of their lifecycle.

The rules live in ``workflows`` (the lifecycle: ``AGREEMENT_WORKFLOW``), ``services`` (every
write), ``selectors`` (who sees what), ``consolidation`` (a convention with its avenants
applied) and ``deadlines`` (dates).
"""

import pgtrigger
from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse

from relais.core.enums import Civility
from relais.core.models import TimeStampedModel
from relais.core.workflow import JournalEntry
from relais.establishments.models import Establishment
from relais.organisations.models import Organisation
from relais.territories.models import AcademicRegion, Academie, Bassin

from .enums import (
    FROZEN_STATES,
    AgreementKind,
    AgreementScope,
    AgreementState,
    ArticleOperation,
    AvenantPurpose,
    CommitmentCategory,
    DurationUnit,
    Ending,
    PartySide,
    SignatureEventKind,
    SignatureMode,
    Transition,
)

_SCOPE_FIELDS = {
    AgreementScope.NATIONAL: Q(academic_region__isnull=True, academie__isnull=True),
    AgreementScope.ACADEMIC_REGION: Q(academic_region__isnull=False, academie__isnull=True),
    AgreementScope.ACADEMIE: Q(academie__isnull=False, bassin__isnull=True),
    AgreementScope.BASSIN: Q(academie__isnull=False, bassin__isnull=False),
    AgreementScope.ESTABLISHMENT: Q(academie__isnull=False, establishment__isnull=False),
}


# The colour of each state's badge on the pages (others are grey).
STATE_BADGES: dict[str, str] = {
    AgreementState.IN_FORCE: "fr-badge--success",
    AgreementState.IN_SIGNATURE: "fr-badge--info",
    AgreementState.DRAFT: "fr-badge--new",
    AgreementState.TERMINATED: "fr-badge--warning",
}


def _scope_constraint() -> Q:
    condition = Q()
    for scope, fields in _SCOPE_FIELDS.items():
        condition |= Q(scope=scope) & fields
    return condition


class Agreement(TimeStampedModel):
    """A convention (or an avenant, ``kind=avenant`` with ``amends`` set).

    Its text (legal basis, preamble, articles), parties, commitments and clauses are edited
    while it is a draft; sending it for signature freezes them in an ``AgreementVersion``.
    """

    number = models.CharField("numéro", max_length=20, unique=True)
    title = models.CharField("intitulé", max_length=255)
    kind = models.CharField("type", max_length=10, choices=AgreementKind.choices)
    scope = models.CharField("périmètre", max_length=20, choices=AgreementScope.choices)
    state = models.CharField(
        "état", max_length=15, choices=AgreementState.choices, default=AgreementState.DRAFT
    )
    academic_region = models.ForeignKey(
        AcademicRegion, verbose_name="région académique", null=True, blank=True,
        on_delete=models.PROTECT, related_name="agreements",
    )  # fmt: skip
    academie = models.ForeignKey(
        Academie, verbose_name="académie", null=True, blank=True,
        on_delete=models.PROTECT, related_name="agreements",
    )  # fmt: skip
    bassin = models.ForeignKey(
        Bassin, verbose_name="bassin", null=True, blank=True,
        on_delete=models.PROTECT, related_name="agreements",
    )  # fmt: skip
    establishment = models.ForeignKey(
        Establishment, verbose_name="établissement", null=True, blank=True,
        on_delete=models.PROTECT, related_name="agreements",
    )  # fmt: skip
    parent = models.ForeignKey(
        "self", verbose_name="convention déclinée", null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
        help_text="La convention nationale ou académique dont celle-ci est la déclinaison locale.",
    )  # fmt: skip
    amends = models.ForeignKey(
        "self", verbose_name="convention modifiée", null=True, blank=True,
        on_delete=models.PROTECT, related_name="avenants",
    )  # fmt: skip
    supersedes = models.ForeignKey(
        "self", verbose_name="remplace la convention", null=True, blank=True,
        on_delete=models.PROTECT, related_name="superseded_by",
    )  # fmt: skip

    legal_basis = models.TextField(
        "visas", blank=True, help_text="Les lignes « Vu… », une par ligne."
    )
    preamble = models.TextField("préambule", blank=True)

    # Term and renewal (see relais.agreements.deadlines.Terms).
    effective_date = models.DateField(
        "date d'effet prévue", null=True, blank=True,
        help_text="Vide : la convention prend effet à la dernière signature.",
    )  # fmt: skip
    duration_months = models.PositiveSmallIntegerField(
        "durée (mois)", null=True, blank=True, help_text="Vide : durée indéterminée."
    )
    duration_unit = models.CharField(
        "durée exprimée", max_length=4, choices=DurationUnit.choices, blank=True,
        help_text="Comme le dit le texte : « trois ans » ou « dix-huit mois ».",
    )  # fmt: skip
    tacit_renewal = models.BooleanField("reconduction tacite", default=False)
    max_renewals = models.PositiveSmallIntegerField(
        "nombre maximal de reconductions", null=True, blank=True,
        help_text="Vide : reconductions illimitées.",
    )  # fmt: skip
    notice_months = models.PositiveSmallIntegerField(
        "préavis de non-reconduction (mois)", default=0
    )
    termination_months = models.PositiveSmallIntegerField(
        "délai de résiliation (mois)", default=0,
        help_text="Délai entre la réception de la dénonciation et la fin de la convention.",
    )  # fmt: skip
    termination_from_sending = models.BooleanField(
        "délai de résiliation compté de l'envoi", default=False,
        help_text="Le texte compte le délai à partir de l'envoi de la lettre, pas de sa réception.",
    )  # fmt: skip
    breach_months = models.PositiveSmallIntegerField(
        "délai de résiliation pour manquement (mois)", null=True, blank=True,
        help_text="Vide : le délai de résiliation ordinaire.",
    )  # fmt: skip
    breach_from_sending = models.BooleanField(
        "délai pour manquement compté de l'envoi de la mise en demeure", default=False
    )
    signature_place = models.CharField(
        "lieu de signature (« Fait à … »)", max_length=100, blank=True
    )
    avenant_purpose = models.CharField(
        "objet de l'avenant", max_length=12, choices=AvenantPurpose.choices, blank=True
    )
    # Other clauses.
    dispute_clause = models.TextField("règlement des litiges", blank=True)
    competent_court = models.CharField("juridiction compétente", max_length=200, blank=True)
    confidentiality_clause = models.TextField("clause de confidentialité", blank=True)
    open_to_new_signatories = models.BooleanField(
        "ouverte à de nouveaux signataires", default=False,
        help_text="Chaque nouvelle signature fait alors l'objet d'un avenant.",
    )  # fmt: skip
    # Values of the Word template's fields that the structured data does not give
    # (« [à compléter] » of the model CEE convention: domains, sectors, committee…).
    template_fields = models.JSONField("champs du modèle", default=dict, blank=True)
    # Avenant only: the clauses it changes ({"duration_months": 48, ...}).
    clause_changes = models.JSONField("clauses modifiées", default=dict, blank=True)

    # Set by the state machine.
    signed_on = models.DateField("date de la dernière signature", null=True, blank=True)
    start_date = models.DateField("entrée en vigueur", null=True, blank=True)
    notice_received_on = models.DateField("dénonciation reçue le", null=True, blank=True)
    terminated_on = models.DateField("fin après résiliation", null=True, blank=True)
    termination_reason = models.TextField("motif de la résiliation", blank=True)
    ending = models.CharField(
        "mode de fin", max_length=20, choices=Ending.choices, blank=True,
        help_text="Renseigné par l'étape qui met fin à la convention.",
    )  # fmt: skip
    terminated_by = models.ForeignKey(
        "Party", verbose_name="partie qui dénonce", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    ended_on = models.DateField("fin constatée", null=True, blank=True)
    # Computed from the consolidated clauses (relais.agreements.deadlines), refreshed at each
    # transition and every night, so that lists can filter on them.
    current_start = models.DateField("début de la période en cours", null=True, blank=True)
    current_end = models.DateField("fin de la période en cours", null=True, blank=True)
    next_notice_deadline = models.DateField("date limite de dénonciation", null=True, blank=True)

    search_vector = SearchVectorField(null=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = "convention"
        verbose_name_plural = "conventions"
        ordering = ["-created_at"]
        indexes = [
            GinIndex(name="agreement_search", fields=["search_vector"]),
            models.Index(fields=["state", "kind"]),
            # The list's order (newest first): a page is read from the index, not sorted out
            # of every visible convention (27 ms → under 3 ms at académie scale).
            models.Index(fields=["-created_at"], name="agreement_list_order"),
        ]
        constraints = [
            models.CheckConstraint(condition=_scope_constraint(), name="agreement_scope_fields"),
            models.CheckConstraint(
                condition=Q(kind=AgreementKind.AVENANT, amends__isnull=False)
                | (~Q(kind=AgreementKind.AVENANT) & Q(amends__isnull=True)),
                name="agreement_avenant_amends",
            ),
            models.CheckConstraint(
                condition=~Q(kind=AgreementKind.CEE) | Q(duration_months=36, tacit_renewal=False),
                name="agreement_cee_three_years",
            ),
            models.CheckConstraint(
                condition=~Q(
                    state__in=[
                        AgreementState.IN_FORCE,
                        AgreementState.EXPIRED,
                        AgreementState.TERMINATED,
                        AgreementState.SUPERSEDED,
                    ]
                )
                | Q(signed_on__isnull=False, start_date__isnull=False),
                name="agreement_signed_has_dates",
            ),
            models.CheckConstraint(
                condition=~Q(state=AgreementState.TERMINATED)
                | Q(notice_received_on__isnull=False, terminated_on__isnull=False),
                name="agreement_terminated_has_dates",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=[AgreementState.EXPIRED, AgreementState.SUPERSEDED])
                | Q(ended_on__isnull=False),
                name="agreement_ended_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} — {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("agreements:detail", args=[self.pk])

    @property
    def is_avenant(self) -> bool:
        return self.kind == AgreementKind.AVENANT

    @property
    def is_frozen(self) -> bool:
        return self.state in FROZEN_STATES

    @property
    def is_draft(self) -> bool:
        return self.state == AgreementState.DRAFT

    @property
    def is_in_force(self) -> bool:
        return self.state == AgreementState.IN_FORCE

    @property
    def is_terminated(self) -> bool:
        return self.state == AgreementState.TERMINATED

    @property
    def is_abandoned(self) -> bool:
        return self.state == AgreementState.ABANDONED

    @property
    def badge_class(self) -> str:
        """The DSFR colour of the state's badge (« » : the neutral grey)."""
        return STATE_BADGES.get(self.state, "")

    @property
    def territory_label(self) -> str:
        if self.scope == AgreementScope.NATIONAL:
            return "National"
        if self.scope == AgreementScope.ACADEMIC_REGION:
            return f"Région académique {self.academic_region}"
        if self.scope == AgreementScope.ESTABLISHMENT:
            return str(self.establishment)
        # Académies and bassins already name themselves (« Académie de Lille », « Bassin Albi »).
        return str(self.bassin if self.scope == AgreementScope.BASSIN else self.academie)


class Party(models.Model):
    """A party to the convention: the académie, a professional organisation, a company…"""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="parties")
    order = models.PositiveSmallIntegerField("ordre", default=0)
    organisation = models.ForeignKey(
        Organisation, verbose_name="organisation", null=True, blank=True,
        on_delete=models.PROTECT, related_name="agreement_parties",
    )  # fmt: skip
    name = models.CharField("nom", max_length=255)
    short_name = models.CharField("dénommée ci-après", max_length=100, blank=True)
    side = models.CharField("côté", max_length=12, choices=PartySide.choices)
    represented_by = models.CharField("représentée par", max_length=255, blank=True)
    address = models.CharField("adresse", max_length=255, blank=True)
    signs_adhesions = models.BooleanField(
        "signe les avenants d'adhésion", default=False,
        help_text="Partie que la convention désigne pour signer l'adhésion d'un partenaire.",
    )  # fmt: skip
    withdrawal_notice_on = models.DateField("retrait notifié le", null=True, blank=True)
    withdrawn_on = models.DateField(
        "partie jusqu'au", null=True, blank=True,
        help_text="Dernier jour où la partie est liée, après son retrait.",
    )  # fmt: skip

    class Meta:
        verbose_name = "partie"
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class Signatory(models.Model):
    """A person who signs for a party, with their own date and mode of signature."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="signatories")
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="signatories")
    order = models.PositiveSmallIntegerField("ordre", default=0)
    civility = models.CharField("civilité", max_length=8, choices=Civility.choices, blank=True)
    full_name = models.CharField("nom du signataire", max_length=150)
    title = models.CharField("qualité", max_length=255, blank=True)
    email = models.EmailField("courriel", blank=True)
    signed_on = models.DateField("signé le", null=True, blank=True)
    mode = models.CharField(
        "mode de signature", max_length=12, choices=SignatureMode.choices, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Electronic signature: chosen per signatory (paper, electronic, or a mix of both).
    signs_electronically = models.BooleanField("signe électroniquement", default=False)
    invited_at = models.DateTimeField("lien envoyé le", null=True, blank=True)
    # Bumped when the team sends a new link: a link carries its generation, so the lost one
    # no longer opens (``signing.signatory_from_token``).
    link_generation = models.PositiveSmallIntegerField("génération du lien", default=0)
    code_hash = models.CharField(max_length=128, blank=True)
    code_expires_at = models.DateTimeField(null=True, blank=True)
    code_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "signataire"
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(signed_on__isnull=True, mode="")
                | (Q(signed_on__isnull=False) & ~Q(mode="")),
                name="signatory_date_and_mode_together",
            )
        ]

    def __str__(self) -> str:
        return self.full_name


class Article(models.Model):
    """An article or axis of the text. In an avenant, an article with the number of an
    article of the convention replaces it, or deletes it when ``removes`` is set."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="articles")
    order = models.PositiveSmallIntegerField("ordre", default=0)
    number = models.CharField("numéro", max_length=30)
    heading = models.CharField("titre", max_length=255, blank=True)
    body = models.TextField("texte", blank=True)
    removes = models.BooleanField("supprime l'article", default=False)
    operation = models.CharField(
        "effet sur la convention", max_length=8, choices=ArticleOperation.choices, blank=True
    )

    class Meta:
        verbose_name = "article"
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="article_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.heading}".strip()


class Commitment(models.Model):
    """What a party commits to: what, how many, by when (« mobiliser 10 CEE »)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="commitments")
    party = models.ForeignKey(
        Party, verbose_name="partie", on_delete=models.CASCADE, related_name="commitments"
    )
    category = models.CharField("nature", max_length=12, choices=CommitmentCategory.choices)
    description = models.TextField("engagement")
    quantity = models.PositiveIntegerField("quantité", null=True, blank=True)
    unit = models.CharField("unité", max_length=60, blank=True)
    due_date = models.DateField("échéance", null=True, blank=True)
    article_number = models.CharField("article", max_length=30, blank=True)

    class Meta:
        verbose_name = "engagement"
        ordering = ["pk"]

    def __str__(self) -> str:
        amount = f"{self.quantity} {self.unit} — " if self.quantity else ""
        return f"{amount}{self.description}"


class AgreementVersion(models.Model):
    """The text, parties, signatories, commitments and clauses as sent for signature.
    Never edited: a new sending makes a new version."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField("version")
    content = models.JSONField("contenu")
    created_at = models.DateTimeField("figée le", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "version figée"
        verbose_name_plural = "versions figées"
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="version_unique")
        ]
        triggers = [
            pgtrigger.Protect(name="version_is_frozen", operation=pgtrigger.Update),
        ]

    def __str__(self) -> str:
        return f"Version {self.number}"


class AgreementJournal(JournalEntry):
    """The legal journal of a convention (``AGREEMENT_WORKFLOW``): its creation and each
    transition, who fired it, when and why. The database refuses to update or delete a line,
    and a convention with a journal cannot be deleted (PROTECT): the trace outlives it."""

    agreement = models.ForeignKey(
        Agreement, verbose_name="convention", on_delete=models.PROTECT, related_name="journal"
    )

    class Meta(JournalEntry.Meta):
        verbose_name = "étape du cycle de vie"
        verbose_name_plural = "journal du cycle de vie"

    @property
    def transition_label(self) -> str:
        if self.transition == CREATION:
            return "Création"
        if self.transition in Transition.values:
            return str(Transition(self.transition).label)
        return self.transition

    @property
    def from_state_label(self) -> str:
        return _state_label(self.from_state)

    @property
    def to_state_label(self) -> str:
        return _state_label(self.to_state)


CREATION = "creation"  # the name of the first line (``Workflow.log_creation``)


class SignatureEvent(models.Model):
    """The audit trail of an electronic signature: each link sent, opened, code sent or
    refused, and the signature itself with its evidence (time, IP address, user agent, the
    SHA-256 of the frozen PDF read). The database refuses to change or delete a line."""

    signatory = models.ForeignKey(
        Signatory, on_delete=models.PROTECT, related_name="signature_events"
    )
    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="signature_events"
    )
    kind = models.CharField("événement", max_length=15, choices=SignatureEventKind.choices)
    at = models.DateTimeField("le", auto_now_add=True)
    ip_address = models.GenericIPAddressField("adresse IP", null=True, blank=True)
    user_agent = models.CharField("navigateur", max_length=400, blank=True)
    document_sha256 = models.CharField("empreinte SHA-256 du document", max_length=64, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = "preuve de signature électronique"
        verbose_name_plural = "journal des signatures électroniques"
        ordering = ["at", "pk"]
        triggers = [
            pgtrigger.Protect(name="signature_event_no_update", operation=pgtrigger.Update),
            pgtrigger.Protect(name="signature_event_no_delete", operation=pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.at:%d/%m/%Y %H:%M})"


def frozen_pdf_path(instance, filename: str) -> str:
    return f"conventions/{instance.version.agreement_id}/versions/{instance.sha256[:16]}.pdf"


class FrozenDocument(models.Model):
    """The PDF of a frozen version, rendered once: what the electronic signatories read and
    sign (its SHA-256 is the evidence kept for each signature)."""

    version = models.OneToOneField(
        AgreementVersion, on_delete=models.PROTECT, related_name="document"
    )
    file = models.FileField("PDF figé", upload_to=frozen_pdf_path)
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "document figé"
        verbose_name_plural = "documents figés"
        triggers = [
            pgtrigger.Protect(name="frozen_document_no_update", operation=pgtrigger.Update),
        ]

    def __str__(self) -> str:
        return f"PDF de la {self.version}"


def _state_label(state: str) -> str:
    return str(AgreementState(state).label) if state in AgreementState.values else "—"


def scan_path(instance, filename: str) -> str:
    return f"conventions/{instance.agreement_id}/signees/{instance.sha256[:16]}.pdf"


class SignedScan(models.Model):
    """The scan of the signed convention (PDF, checked on content, size-limited)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="scans")
    file = models.FileField("fichier", upload_to=scan_path)
    original_name = models.CharField("nom du fichier", max_length=255)
    size = models.PositiveIntegerField("taille (octets)")
    sha256 = models.CharField(max_length=64)
    note = models.CharField("description", max_length=255, blank=True)
    uploaded_at = models.DateTimeField("déposé le", auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "convention signée (scan)"
        verbose_name_plural = "conventions signées (scans)"
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class CalendarFeed(models.Model):
    """The secret address of a user's personal iCal feed (deadlines and meetings)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "flux iCal"
        verbose_name_plural = "flux iCal"

    def __str__(self) -> str:
        return f"Flux iCal de {self.user}"
