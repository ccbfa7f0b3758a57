"""Convention serializers.

Read: ``ConventionListSerializer`` (a line of the list, with the stored dates refreshed at
each transition and every night) and ``ConventionSerializer`` (the consolidated convention,
with its dates computed on the day asked, ``relais.agreements.consolidation.key_dates``).

The write serializers are in ``agreement_writes``.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from relais.agreements.consolidation import Consolidated, consolidate, key_dates
from relais.agreements.deadlines import Status
from relais.agreements.enums import Ending, Transition
from relais.agreements.models import (
    Agreement,
    AgreementVersion,
    Article,
    Commitment,
    Party,
    Signatory,
)
from relais.agreements.perms import can_manage
from relais.agreements.states import CODES as DAY_STATES
from relais.agreements.states import state_on
from relais.agreements.workflows import agreement_actions
from relais.core import clock
from relais.establishments.models import Establishment

from .organisations import OrganisationRefSerializer
from .territories import AcademicRegionRefSerializer, AcademieRefSerializer, BassinRefSerializer

# --- read --------------------------------------------------------------------------------------


class EstablishmentRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Establishment
        fields = ["uai", "name"]


class ConventionRefSerializer(serializers.ModelSerializer):
    """Another convention (the one amended, declined, replaced, an avenant, a child)."""

    url = serializers.HyperlinkedIdentityField(view_name="api-v1:convention-detail")

    class Meta:
        model = Agreement
        fields = ["id", "url", "number", "title", "kind", "state", "start_date"]


class ConventionPartySerializer(serializers.ModelSerializer):
    organisation = OrganisationRefSerializer(allow_null=True, read_only=True)

    class Meta:
        model = Party
        fields = [
            "id",
            "order",
            "name",
            "short_name",
            "side",
            "organisation",
            "represented_by",
            "address",
            "signs_adhesions",
            "withdrawal_notice_on",
            "withdrawn_on",
        ]


class ConventionSignatorySerializer(serializers.ModelSerializer):
    party_name = serializers.CharField(source="party.name", read_only=True, label="Partie")

    class Meta:
        model = Signatory
        fields = [
            "id",
            "order",
            "party",
            "party_name",
            "civility",
            "full_name",
            "title",
            "email",
            "signed_on",
            "mode",
            "signs_electronically",
        ]
        extra_kwargs = {
            "party": {"read_only": True},
            "signed_on": {"help_text": "Date de la signature (vide : pas encore signé)."},
        }


class ConventionArticleSerializer(serializers.ModelSerializer):
    """An article as stored in a convention or an avenant (nested writes answer this)."""

    class Meta:
        model = Article
        fields = ["id", "order", "number", "heading", "body", "operation", "removes"]


class ConsolidatedArticleSerializer(serializers.Serializer):
    """An article of the consolidated text, with the convention or avenant giving its wording."""

    id = serializers.IntegerField(help_text="Identifiant de l'article dans sa source.")
    number = serializers.CharField(label="Numéro")
    heading = serializers.CharField(label="Titre")
    body = serializers.CharField(label="Texte")
    # Named like Field.source: the metaclass moves declared fields off the class (stub gap).
    source = ConventionRefSerializer(  # type: ignore[assignment]
        help_text="La convention ou l'avenant qui donne ce texte."
    )


class ConventionCommitmentSerializer(serializers.ModelSerializer):
    party_name = serializers.CharField(source="party.name", read_only=True, label="Partie")

    class Meta:
        model = Commitment
        fields = [
            "id",
            "party",
            "party_name",
            "category",
            "description",
            "quantity",
            "unit",
            "due_date",
            "article_number",
        ]
        extra_kwargs = {"party": {"read_only": True}}


class ClausesSerializer(serializers.Serializer):
    """The clauses in force: the convention's, with the changes of its avenants in force."""

    effective_date = serializers.DateField(
        allow_null=True, help_text="Date d'effet prévue ; vide : à la dernière signature."
    )
    duration_months = serializers.IntegerField(
        allow_null=True, help_text="Durée en mois ; vide : durée indéterminée."
    )
    tacit_renewal = serializers.BooleanField(help_text="Reconduction tacite.")
    max_renewals = serializers.IntegerField(
        allow_null=True, help_text="Nombre maximal de reconductions ; vide : illimité."
    )
    notice_months = serializers.IntegerField(help_text="Préavis de non-reconduction (mois).")
    termination_months = serializers.IntegerField(help_text="Délai de résiliation (mois).")
    duration_unit = serializers.CharField(help_text="« ans », « mois » ; vide : selon la durée.")
    termination_from_sending = serializers.BooleanField(
        help_text="Le délai de résiliation court de l'envoi de la lettre (sinon : réception)."
    )
    breach_months = serializers.IntegerField(
        allow_null=True,
        help_text="Délai de résiliation pour manquement (mois) ; vide : le délai ordinaire.",
    )
    breach_from_sending = serializers.BooleanField(
        help_text="Ce délai court de l'envoi de la mise en demeure."
    )
    dispute_clause = serializers.CharField(help_text="Règlement des litiges.")
    competent_court = serializers.CharField(help_text="Juridiction compétente.")
    confidentiality_clause = serializers.CharField(help_text="Clause de confidentialité.")
    open_to_new_signatories = serializers.BooleanField(
        help_text="Ouverte à de nouveaux signataires (chacun par avenant)."
    )


class PeriodSerializer(serializers.Serializer):
    index = serializers.IntegerField(
        help_text="0 : la période initiale ; k : la k-ième reconduction tacite."
    )
    start = serializers.DateField(help_text="Premier jour de la période.")
    end = serializers.DateField(
        allow_null=True, help_text="Dernier jour en vigueur (inclus) ; vide : durée indéterminée."
    )


class DatesSerializer(serializers.Serializer):
    """Dates computed from the consolidated clauses on the day ``on``."""

    on = serializers.DateField(help_text="Jour auquel les dates sont calculées.")
    status = serializers.ChoiceField(
        choices=[(s.value, s.label) for s in Status],
        allow_null=True,
        help_text="Situation à ce jour d'après les clauses (vide : pas encore signée).",
    )
    signed_on = serializers.DateField(allow_null=True, help_text="Date de la dernière signature.")
    start_date = serializers.DateField(allow_null=True, help_text="Entrée en vigueur.")
    period = PeriodSerializer(allow_null=True, help_text="La période en cours (ou la dernière).")
    renewals_done = serializers.IntegerField(help_text="Reconductions tacites déjà intervenues.")
    end_of_term = serializers.DateField(
        allow_null=True, help_text="Dernier jour en vigueur de la période en cours."
    )
    next_renewal = serializers.DateField(
        allow_null=True, help_text="Début de la prochaine reconduction tacite, s'il y en a une."
    )
    notice_deadline = serializers.DateField(
        allow_null=True,
        help_text="Dernier jour de réception d'une dénonciation qui évite la reconduction.",
    )
    expiry = serializers.DateField(
        allow_null=True, help_text="Fin définitive sans autre reconduction ; vide : aucune."
    )
    notice_received_on = serializers.DateField(allow_null=True, help_text="Dénonciation reçue le.")
    terminated_on = serializers.DateField(
        allow_null=True, help_text="Dernier jour en vigueur après résiliation."
    )
    ended_on = serializers.DateField(allow_null=True, help_text="Fin constatée.")


class VersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = AgreementVersion
        fields = ["number", "created_at"]


class DayStateSerializer(serializers.Serializer):
    """The state true on the day asked (``on``), computed on read."""

    on = serializers.DateField(help_text="Jour auquel l'état est donné.")
    code = serializers.ChoiceField(choices=DAY_STATES)
    # Named like Field.label: the metaclass moves declared fields off the class (stub gap).
    label = serializers.CharField()  # type: ignore[assignment]
    text = serializers.CharField(help_text="L'état avec sa date (« En préavis (fin le …) »).")


class TerminationSerializer(serializers.Serializer):
    ending = serializers.ChoiceField(
        choices=Ending.choices, allow_blank=True, help_text="Comment elle prend fin."
    )
    reason = serializers.CharField(help_text="Motif de la résiliation.")
    party = ConventionPartySerializer(allow_null=True, help_text="Partie qui dénonce.")


class ActionsSerializer(serializers.Serializer):
    """What the user may do on the convention now (the web page shows the same actions)."""

    transitions = serializers.ListField(
        child=serializers.ChoiceField(choices=Transition.choices),
        help_text="Les étapes du cycle de vie possibles maintenant pour cet utilisateur "
        "(« envoi_signature » : POST send-for-signature/, « retour_brouillon » : "
        "back-to-draft/, « signature » : sign/, « resiliation » : terminate/, « abandon » : "
        "abandon/).",
    )
    edit = serializers.BooleanField(
        help_text="Modifier le brouillon (PATCH, parties, signataires, articles, engagements)."
    )
    amend = serializers.BooleanField(help_text="Créer un avenant (POST avenants/).")
    decline = serializers.BooleanField(help_text="Décliner localement (POST decline/).")
    add_scan = serializers.BooleanField(help_text="Déposer le scan de la convention signée.")


class _ConventionBase(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api-v1:convention-detail")
    web_url = serializers.SerializerMethodField(help_text="La fiche de la convention dans Relais.")
    territory = serializers.CharField(source="territory_label", read_only=True, label="Territoire")
    academic_region = AcademicRegionRefSerializer(allow_null=True, read_only=True)
    academie = AcademieRefSerializer(allow_null=True, read_only=True)
    bassin = BassinRefSerializer(allow_null=True, read_only=True)
    establishment = EstablishmentRefSerializer(allow_null=True, read_only=True)
    amends = ConventionRefSerializer(
        allow_null=True, read_only=True, help_text="Pour un avenant : la convention modifiée."
    )

    day_state = serializers.SerializerMethodField(
        help_text="L'état vrai au jour « on » (aujourd'hui par défaut), calculé à la lecture : "
        "« signee » (pas encore en vigueur), « en_vigueur », « en_preavis », « expiree », "
        "« terminee »… ; « state » est l'état enregistré du cycle de vie."
    )

    @extend_schema_field(DayStateSerializer)
    def get_day_state(self, agreement: Agreement) -> dict:
        on = self.context.get("on") or clock.today()
        clauses = getattr(self, "_consolidated", None)
        state = state_on(agreement, on=on, clauses=clauses.clauses if clauses else None)
        return {"on": on, "code": state.code, "label": state.label, "text": state.text}

    @extend_schema_field(serializers.URLField())
    def get_web_url(self, agreement: Agreement) -> str:
        return self.context["request"].build_absolute_uri(agreement.get_absolute_url())


class PartyRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Party
        fields = ["id", "name", "organisation"]


class ConventionListSerializer(_ConventionBase):
    """A line of the list. Its dates are the stored ones (``current_end``,
    ``next_notice_deadline``), refreshed at each transition and every night."""

    parties = PartyRefSerializer(many=True, read_only=True)

    class Meta:
        model = Agreement
        fields = [
            "id",
            "url",
            "web_url",
            "number",
            "title",
            "kind",
            "scope",
            "state",
            "day_state",
            "territory",
            "academic_region",
            "academie",
            "bassin",
            "establishment",
            "amends",
            "parties",
            "signed_on",
            "start_date",
            "current_end",
            "next_notice_deadline",
            "terminated_on",
            "ended_on",
            "created_at",
            "updated_at",
        ]


class ConventionSerializer(_ConventionBase):
    """The consolidated convention: its text, parties, signatories, commitments and clauses
    with every avenant in force applied, and its dates computed on ``context["on"]``."""

    parties = serializers.SerializerMethodField()
    signatories = serializers.SerializerMethodField()
    articles = serializers.SerializerMethodField()
    commitments = serializers.SerializerMethodField()
    clauses = serializers.SerializerMethodField()
    dates = serializers.SerializerMethodField()
    termination = serializers.SerializerMethodField()
    avenants = ConventionRefSerializer(many=True, read_only=True)
    applied_avenants = serializers.SerializerMethodField()
    parent = ConventionRefSerializer(
        allow_null=True, read_only=True, help_text="La convention dont celle-ci est déclinée."
    )
    children = ConventionRefSerializer(
        many=True, read_only=True, help_text="Ses déclinaisons locales."
    )
    supersedes = ConventionRefSerializer(
        allow_null=True, read_only=True, help_text="La convention qu'elle remplace."
    )
    versions = VersionSerializer(many=True, read_only=True)
    can_manage = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()

    class Meta:
        model = Agreement
        fields = [
            "id",
            "url",
            "web_url",
            "number",
            "title",
            "kind",
            "scope",
            "state",
            "day_state",
            "territory",
            "academic_region",
            "academie",
            "bassin",
            "establishment",
            "legal_basis",
            "preamble",
            "parties",
            "signatories",
            "articles",
            "commitments",
            "clauses",
            "clause_changes",
            "template_fields",
            "dates",
            "termination",
            "amends",
            "avenants",
            "applied_avenants",
            "parent",
            "children",
            "supersedes",
            "versions",
            "can_manage",
            "actions",
            "created_at",
            "updated_at",
        ]

    def to_representation(self, agreement):
        self._consolidated = consolidate(agreement, on=self.context.get("on") or clock.today())
        return super().to_representation(agreement)

    @property
    def consolidated(self) -> Consolidated:
        return self._consolidated

    @extend_schema_field(ConventionPartySerializer(many=True))
    def get_parties(self, agreement):
        return ConventionPartySerializer(self.consolidated.parties, many=True).data

    @extend_schema_field(ConventionSignatorySerializer(many=True))
    def get_signatories(self, agreement):
        return ConventionSignatorySerializer(self.consolidated.signatories, many=True).data

    @extend_schema_field(ConsolidatedArticleSerializer(many=True))
    def get_articles(self, agreement):
        stored = {}  # (source id, number) → article id, from the prefetched articles
        for source in [agreement, *self.consolidated.avenants]:
            stored |= {(source.pk, a.number): a.pk for a in source.articles.all()}
        rows = []
        for article in self.consolidated.articles:
            rows.append(
                {
                    "id": stored.get((article.source.pk, article.number)),
                    "number": article.number,
                    "heading": article.heading,
                    "body": article.body,
                    "source": article.source,
                }
            )
        return ConsolidatedArticleSerializer(rows, many=True, context=self.context).data

    @extend_schema_field(ConventionCommitmentSerializer(many=True))
    def get_commitments(self, agreement):
        return ConventionCommitmentSerializer(self.consolidated.commitments, many=True).data

    @extend_schema_field(ClausesSerializer)
    def get_clauses(self, agreement):
        own = {name: getattr(agreement, name) for name in ClausesSerializer().fields}
        return ClausesSerializer(own | self.consolidated.clauses).data

    @extend_schema_field(DatesSerializer)
    def get_dates(self, agreement):
        on = self.context.get("on") or clock.today()
        dates = key_dates(agreement, on=on, clauses=self.consolidated.clauses)
        return DatesSerializer(
            {
                "on": on,
                "status": dates.status.value if dates.status else None,
                "signed_on": agreement.signed_on,
                "start_date": agreement.start_date,
                "period": dates.period._asdict() if dates.period else None,
                "renewals_done": dates.renewals_done,
                "end_of_term": dates.end_of_term,
                "next_renewal": dates.next_renewal,
                "notice_deadline": dates.notice_deadline,
                "expiry": dates.expiry,
                "notice_received_on": agreement.notice_received_on,
                "terminated_on": agreement.terminated_on,
                "ended_on": agreement.ended_on,
            }
        ).data

    @extend_schema_field(TerminationSerializer(allow_null=True))
    def get_termination(self, agreement):
        if agreement.notice_received_on is None:
            return None
        return TerminationSerializer(
            {
                "ending": agreement.ending,
                "reason": agreement.termination_reason,
                "party": agreement.terminated_by,
            }
        ).data

    @extend_schema_field(ConventionRefSerializer(many=True))
    def get_applied_avenants(self, agreement):
        """The avenants in force, in the order they took effect (the consolidation's)."""
        return ConventionRefSerializer(
            self.consolidated.avenants, many=True, context=self.context
        ).data

    def get_can_manage(self, agreement) -> bool:
        return can_manage(self.context["request"].user, agreement)

    @extend_schema_field(ActionsSerializer)
    def get_actions(self, agreement):
        actions = agreement_actions(self.context["request"].user, agreement)
        return ActionsSerializer(
            {
                "transitions": list(actions.transitions),
                "edit": actions.edit,
                "amend": actions.amend,
                "decline": actions.decline,
                "add_scan": actions.add_scan,
            }
        ).data
