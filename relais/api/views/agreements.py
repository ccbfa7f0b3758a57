"""API endpoints of the agreements area, registered on the v1 router by relais.api.urls.

``/api/v1/conventions/``:

- ``GET`` list (filters ``q``, ``state``, ``kind``, ``scope``, ``partner``,
  ``ends_within_days``, ``avenants``; paginated) and ``POST`` a new draft;
- ``GET {id}/`` the consolidated convention with its computed dates (``?on=`` another day),
  ``PATCH {id}/`` the text and clauses of a draft;
- transitions, each ``POST {id}/<action>/``: ``send-for-signature``, ``back-to-draft``,
  ``sign``, ``terminate``, ``abandon``, ``avenants`` (creates an avenant: 201) and
  ``decline`` (creates a local declination: 201);
- the rows of a draft: ``POST {id}/parties/``, ``signatories/``, ``articles/``,
  ``commitments/`` add one (201); ``PATCH`` or ``DELETE {id}/<rows>/{row_id}/`` change or
  remove it.

Each write validates types and references with a serializer of
``relais.api.serializers.agreement_writes``, then calls one service of
``relais.agreements.services``, which holds every rule: its ValidationError becomes a 400
with French field messages, its PermissionDenied a 403. A convention outside the user's
reach (``agreements_visible_to``) answers 404, like one that does not exist.
"""

from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from relais.agreements import services
from relais.agreements.enums import Transition
from relais.agreements.models import Agreement, Commitment, Party, Signatory
from relais.agreements.selectors import agreements_visible_to
from relais.agreements.services.esign import signature_resend
from relais.core.validation import DATE_RANGE_MESSAGE, date_in_range

from ..base import ApiViewSetMixin
from ..serializers import agreement_writes as w
from ..serializers import agreements as s
from .agreement_support import (
    ARTICLE,
    ARTICLE_DELETE,
    ARTICLES,
    BAD_REQUEST,
    COMMITMENT,
    COMMITMENT_DELETE,
    COMMITMENTS,
    DRAFT_ONLY,
    FORBIDDEN,
    ID_PARAMETER,
    MANAGED,
    NOT_FOUND,
    ON_PARAMETER,
    PARTIES,
    PARTY,
    PARTY_DELETE,
    ROWS,
    SCOPE,
    SIGNATORIES,
    SIGNATORY,
    SIGNATORY_DELETE,
    TAGS,
    ConventionFilter,
    ConventionPermission,
    transition_schema,
)


@extend_schema_view(
    list=extend_schema(
        summary="Conventions visibles",
        description=SCOPE + " Les dates de la liste (« current_end », "
        "« next_notice_deadline ») sont celles enregistrées à chaque étape et chaque nuit ; "
        "la fiche les recalcule.",
        tags=TAGS,
    ),
    retrieve=extend_schema(
        summary="Une convention consolidée",
        description=SCOPE + " Le texte, les parties, signataires, engagements et clauses "
        "tiennent compte des avenants en vigueur. « dates » donne les dates calculées à ce "
        "jour : entrée en vigueur, période en cours (rang de la reconduction), fin de la "
        "période, prochaine reconduction, date limite de dénonciation, fin définitive, fin "
        "après résiliation.",
        tags=TAGS,
        parameters=[ID_PARAMETER, ON_PARAMETER],
        responses={200: s.ConventionSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
    ),
    create=extend_schema(
        summary="Créer un brouillon de convention",
        description="Périmètre (« scope ») et son territoire par code : « academic_region », "
        "« academie », « bassin » (codes) ou « establishment » (UAI). Le texte et les clauses "
        "sont facultatifs ; une convention conseillers entreprises pour l'école (« cee ») est "
        "conclue pour trois ans (art. D. 331-66 du code de l'éducation)." + MANAGED,
        tags=TAGS,
        request=w.ConventionCreateSerializer,
        responses={201: s.ConventionSerializer, 400: BAD_REQUEST, 403: FORBIDDEN},
    ),
    partial_update=extend_schema(
        summary="Modifier le texte ou les clauses d'un brouillon",
        description="Seuls les champs envoyés changent ; « template_fields » remplace "
        "l'ensemble des champs du modèle ; « clause_changes » ne vaut que pour un avenant."
        + MANAGED
        + DRAFT_ONLY,
        tags=TAGS,
        parameters=[ID_PARAMETER],
        request=w.ConventionUpdateSerializer,
        responses={200: s.ConventionSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    ),
)
class ConventionViewSet(
    ApiViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Partnership conventions and avenants. PUT and DELETE are not offered: a draft changes
    field by field (PATCH) and is abandoned, never deleted."""

    permission_classes = [permissions.IsAuthenticated, ConventionPermission]
    filterset_class = ConventionFilter
    serializer_class = s.ConventionSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return agreements_visible_to(self.request.user).order_by("-created_at", "-pk")

    def get_serializer_class(self):
        if self.action == "list":
            return s.ConventionListSerializer
        # OPTIONS describes the POST body of the list with a clone of the request.
        describing = self.action == "metadata" and self.request.method == "POST"
        if self.action == "create" or describing:
            return w.ConventionCreateSerializer
        if self.action == "partial_update":
            return w.ConventionUpdateSerializer
        return self.serializer_class

    def get_serializer_context(self):
        return super().get_serializer_context() | {"on": self._on()}

    def _on(self):
        raw = self.request.query_params.get("on") if self.action in ("retrieve", "list") else None
        if not raw:
            return timezone.localdate()
        try:
            on = serializers.DateField().to_internal_value(raw)
        except serializers.ValidationError as error:
            raise serializers.ValidationError({"on": error.detail}) from error
        if not date_in_range(on):
            raise serializers.ValidationError({"on": [DATE_RANGE_MESSAGE]})
        return on

    def _detail_queryset(self):
        rows = [
            Prefetch("parties", queryset=Party.objects.select_related("organisation")),
            Prefetch("signatories", queryset=Signatory.objects.select_related("party")),
            "articles",
            Prefetch("commitments", queryset=Commitment.objects.select_related("party")),
        ]
        user = self.request.user
        return (
            agreements_visible_to(user)
            .select_related(
                "academie",
                "academic_region",
                "bassin",
                "establishment",
                "parent",
                "amends",
                "supersedes",
                "terminated_by__organisation",
            )
            .prefetch_related(
                *rows,
                Prefetch(
                    "avenants",
                    queryset=Agreement.objects.order_by("created_at", "pk").prefetch_related(*rows),
                ),
                Prefetch("children", queryset=agreements_visible_to(user).order_by("number", "pk")),
                "versions",
            )
        )

    def get_object(self) -> Agreement:
        try:
            agreement = self._detail_queryset().get(pk=self.kwargs["pk"])
        except Agreement.DoesNotExist as exc:
            raise exceptions.NotFound("Convention inconnue ou hors de votre périmètre.") from exc
        self.check_object_permissions(self.request, agreement)
        return agreement

    def _render(self, agreement: Agreement, status_code=status.HTTP_200_OK) -> Response:
        """The convention as it now stands, re-read with everything its representation needs."""
        fresh = self._detail_queryset().get(pk=agreement.pk)
        body = s.ConventionSerializer(fresh, context=self.get_serializer_context()).data
        if status_code == status.HTTP_201_CREATED:
            return self.created(fresh, body)
        return Response(body, status=status_code)

    def _valid(self, serializer_class, *, partial=False, **context) -> serializers.BaseSerializer:
        serializer = serializer_class(
            data=self.request.data,
            partial=partial,
            context=self.get_serializer_context() | context,
        )
        serializer.is_valid(raise_exception=True)
        return serializer

    # --- the convention itself ---------------------------------------------------------------

    def create(self, request, *args, **kwargs):
        serializer = self._valid(w.ConventionCreateSerializer)
        data = serializer.validated_data
        agreement = services.agreement_create(
            user=request.user,
            title=data["title"],
            kind=data["kind"],
            scope=data["scope"],
            fields=serializer.clause_fields(),
            **serializer.territory(),
        )
        return self._render(agreement, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        agreement = self.get_object()
        serializer = self._valid(w.ConventionUpdateSerializer, partial=True)
        data = dict(serializer.validated_data)
        if "clause_changes" in data:
            data["clause_changes"] = dict(data["clause_changes"])
        services.agreement_update(user=request.user, agreement=agreement, data=data)
        return self._render(agreement)

    # --- transitions ---------------------------------------------------------------------------

    @transition_schema(
        "Envoyer en signature",
        "Fige le texte, les parties, signataires, engagements et clauses dans une nouvelle "
        "version et ouvre la signature. Il faut au moins deux parties, un signataire par "
        "partie et un texte (préambule ou articles)." + MANAGED,
        w.NoteSerializer,
    )
    @action(detail=True, methods=["post"], url_path="send-for-signature")
    def send_for_signature(self, request, *args, **kwargs):
        agreement = self.get_object()
        note = self._valid(w.NoteSerializer).validated_data["note"]
        services.agreement_send_for_signature(user=request.user, agreement=agreement, note=note)
        return self._render(agreement)

    @transition_schema(
        "Revenir en brouillon",
        "Ramène en brouillon une convention en signature tant qu'aucune signature n'est "
        "enregistrée ; le motif (« note ») est obligatoire." + MANAGED,
        w.NoteSerializer,
    )
    @action(detail=True, methods=["post"], url_path="back-to-draft")
    def back_to_draft(self, request, *args, **kwargs):
        agreement = self.get_object()
        note = self._valid(w.NoteSerializer).validated_data["note"]
        services.agreement_back_to_draft(user=request.user, agreement=agreement, note=note)
        return self._render(agreement)

    @transition_schema(
        "Enregistrer une signature",
        "Enregistre la signature d'un signataire (date, mode). À la dernière signature, la "
        "convention entre en vigueur : à sa date d'effet prévue, sinon à la dernière "
        "signature. Une date de signature future est refusée." + MANAGED,
        w.SignatureSerializer,
    )
    @action(detail=True, methods=["post"])
    def sign(self, request, *args, **kwargs):
        agreement = self.get_object()
        data = self._valid(w.SignatureSerializer, agreement=agreement).validated_data
        agreement = services.agreement_record_signature(
            user=request.user,
            signatory=data["signatory"],
            signed_on=data["signed_on"],
            mode=data["mode"],
        )
        return self._render(agreement)

    @transition_schema(
        "Enregistrer une résiliation",
        "Enregistre la dénonciation reçue le « notice_received_on » : la convention prend fin "
        "à l'expiration du délai de résiliation prévu par ses clauses (« dates."
        "terminated_on »)." + MANAGED,
        w.TerminationWriteSerializer,
    )
    @action(detail=True, methods=["post"])
    def terminate(self, request, *args, **kwargs):
        agreement = self.get_object()
        data = self._valid(w.TerminationWriteSerializer, agreement=agreement).validated_data
        agreement = services.agreement_terminate(
            user=request.user,
            agreement=agreement,
            notice_received_on=data["notice_received_on"],
            reason=data["reason"],
            party=data["party"],
        )
        return self._render(agreement)

    def _end(self, step: str) -> Response:
        agreement = self.get_object()
        data = self._valid(w.EndingWriteSerializer, agreement=agreement).validated_data
        agreement = services.agreement_end(
            user=self.request.user, agreement=agreement, step=step, on=data["on"],
            reason=data["reason"], party=data["party"], ends_on=data["ends_on"],
        )  # fmt: skip
        return self._render(agreement)

    @transition_schema(
        "Notifier la non-reconduction",
        "La convention prend fin au terme de la période en cours si le préavis de "
        "non-reconduction est respecté, sinon au terme de la suivante (« dates.terminated_on "
        "»)." + MANAGED,
        w.EndingWriteSerializer,
    )
    @action(detail=True, methods=["post"], url_path="non-renewal")
    def non_renewal(self, request, *args, **kwargs):
        return self._end(Transition.NON_RENEWAL)

    @transition_schema(
        "Résilier pour manquement",
        "Après la mise en demeure du « on » : fin à l'expiration du délai de résiliation pour "
        "manquement (« breach_months », à défaut le délai de résiliation)." + MANAGED,
        w.EndingWriteSerializer,
    )
    @action(detail=True, methods=["post"])
    def breach(self, request, *args, **kwargs):
        return self._end(Transition.BREACH)

    @transition_schema(
        "Mettre fin d'un commun accord",
        "Les parties conviennent le « on » que la convention prend fin le « ends_on »." + MANAGED,
        w.EndingWriteSerializer,
    )
    @action(detail=True, methods=["post"])
    def mutual(self, request, *args, **kwargs):
        return self._end(Transition.MUTUAL)

    @transition_schema(
        "Retrait d'une partie",
        "La partie reste liée jusqu'à l'expiration du délai de résiliation ; les autres "
        "continuent (au moins deux parties doivent rester)." + MANAGED,
        w.WithdrawalWriteSerializer,
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, *args, **kwargs):
        agreement = self.get_object()
        data = self._valid(w.WithdrawalWriteSerializer, agreement=agreement).validated_data
        agreement = services.party_withdraw(
            user=request.user, agreement=agreement, party=data["party"], on=data["on"],
            reason=data["reason"],
        )  # fmt: skip
        return self._render(agreement)

    @transition_schema(
        "Renvoyer le lien de signature",
        "Envoie au signataire électronique qui l'a perdu un nouveau lien de signature ; "
        "l'ancien lien est révoqué (et le code à usage unique demandé par lui). Inscrit au "
        "journal des signatures ; les relances repartent du nouvel envoi." + MANAGED,
        w.SignatoryRefSerializer,
    )
    @action(detail=True, methods=["post"], url_path="resend-signing-link")
    def resend_signing_link(self, request, *args, **kwargs):
        agreement = self.get_object()
        data = self._valid(w.SignatoryRefSerializer, agreement=agreement).validated_data
        signature_resend(user=request.user, signatory=data["signatory"])
        return self._render(agreement)

    @transition_schema(
        "Abandonner",
        "Abandonne un brouillon ou une convention en signature ; le motif (« note ») est "
        "obligatoire." + MANAGED,
        w.NoteSerializer,
    )
    @action(detail=True, methods=["post"])
    def abandon(self, request, *args, **kwargs):
        agreement = self.get_object()
        note = self._valid(w.NoteSerializer).validated_data["note"]
        services.agreement_abandon(user=request.user, agreement=agreement, note=note)
        return self._render(agreement)

    @transition_schema(
        "Créer un avenant",
        "Ouvre un avenant (brouillon) à une convention en vigueur ; il reprend ses parties et "
        "signataires. Répond l'avenant créé (201)." + MANAGED,
        w.AvenantCreateSerializer,
        status.HTTP_201_CREATED,
    )
    @action(detail=True, methods=["post"])
    def avenants(self, request, *args, **kwargs):
        agreement = self.get_object()
        title = self._valid(w.AvenantCreateSerializer).validated_data["title"]
        avenant = services.avenant_create(user=request.user, agreement=agreement, title=title)
        return self._render(avenant, status.HTTP_201_CREATED)

    @transition_schema(
        "Décliner localement",
        "Crée une convention locale (brouillon) déclinée d'une convention nationale, régionale "
        "ou académique en vigueur, sur une académie, un bassin ou un établissement que "
        "l'équipe académique de l'utilisateur gère. Répond la déclinaison créée (201).",
        w.DeclineSerializer,
        status.HTTP_201_CREATED,
    )
    @action(detail=True, methods=["post"])
    def decline(self, request, *args, **kwargs):
        parent = self.get_object()
        serializer = self._valid(w.DeclineSerializer)
        child = services.agreement_decline(
            user=request.user,
            parent=parent,
            title=serializer.validated_data["title"],
            scope=serializer.validated_data["scope"],
            **serializer.territory(),
        )
        return self._render(child, status.HTTP_201_CREATED)

    # --- rows of a draft -------------------------------------------------------------------------

    def _row_create(self, kind: str) -> Response:
        agreement, rows = self.get_object(), ROWS[kind]
        data = self._valid(rows.write, agreement=agreement).validated_data
        row = rows.save(user=self.request.user, agreement=agreement, data=data)
        body = rows.read(row, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)

    def _row_change(self, kind: str, row_id: str) -> Response:
        agreement, rows = self.get_object(), ROWS[kind]
        row = getattr(agreement, rows.related).filter(pk=int(row_id)).first()
        if row is None:
            raise exceptions.NotFound(rows.unknown)
        if self.request.method == "DELETE":
            rows.remove(user=self.request.user, **{rows.argument: row})
            return Response(status=status.HTTP_204_NO_CONTENT)
        data = self._valid(rows.write, partial=True, agreement=agreement).validated_data
        row = rows.save(
            user=self.request.user, agreement=agreement, data=data, **{rows.argument: row}
        )
        return Response(rows.read(row, context=self.get_serializer_context()).data)

    @PARTIES
    @action(detail=True, methods=["post"])
    def parties(self, request, *args, **kwargs):
        return self._row_create("parties")

    @PARTY
    @PARTY_DELETE
    @action(detail=True, methods=["patch", "delete"], url_path=r"parties/(?P<row_id>\d{1,9})")
    def party(self, request, *args, row_id=None, **kwargs):
        return self._row_change("parties", row_id)

    @SIGNATORIES
    @action(detail=True, methods=["post"])
    def signatories(self, request, *args, **kwargs):
        return self._row_create("signatories")

    @SIGNATORY
    @SIGNATORY_DELETE
    @action(detail=True, methods=["patch", "delete"], url_path=r"signatories/(?P<row_id>\d{1,9})")
    def signatory(self, request, *args, row_id=None, **kwargs):
        return self._row_change("signatories", row_id)

    @ARTICLES
    @action(detail=True, methods=["post"])
    def articles(self, request, *args, **kwargs):
        return self._row_create("articles")

    @ARTICLE
    @ARTICLE_DELETE
    @action(detail=True, methods=["patch", "delete"], url_path=r"articles/(?P<row_id>\d{1,9})")
    def article(self, request, *args, row_id=None, **kwargs):
        return self._row_change("articles", row_id)

    @COMMITMENTS
    @action(detail=True, methods=["post"])
    def commitments(self, request, *args, **kwargs):
        return self._row_create("commitments")

    @COMMITMENT
    @COMMITMENT_DELETE
    @action(detail=True, methods=["patch", "delete"], url_path=r"commitments/(?P<row_id>\d{1,9})")
    def commitment(self, request, *args, row_id=None, **kwargs):
        return self._row_change("commitments", row_id)


def register(router) -> None:
    """Add this area's viewsets to the v1 router."""
    router.register("conventions", ConventionViewSet, basename="convention")
