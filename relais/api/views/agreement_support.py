"""What the conventions API is made of besides its viewset (``views.agreements``): the texts
and parameters of its schema, the list filters, the kinds of rows of a draft with their
serializers and services, and the early permission check."""

from collections.abc import Callable
from dataclasses import dataclass

import django_filters
from django import forms
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, serializers

from relais.agreements import services
from relais.agreements.enums import AgreementKind, AgreementScope, AgreementState
from relais.agreements.models import Agreement
from relais.agreements.perms import can_create, can_manage
from relais.agreements.selectors import agreement_list, partner_in_reach
from relais.core.filters import IdFilter

from ..serializers import agreement_writes as w
from ..serializers import agreements as s

TAGS = ["Conventions"]
ID_PARAMETER = OpenApiParameter(
    "id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Identifiant de la convention."
)
ON_PARAMETER = OpenApiParameter(
    "on",
    OpenApiTypes.DATE,
    OpenApiParameter.QUERY,
    description="Jour auquel calculer les dates (AAAA-MM-JJ, du 1990-01-01 au 2100-12-31) ; "
    "par défaut aujourd'hui.",
)
BAD_REQUEST = OpenApiResponse(
    description="Données invalides ou étape impossible : messages en français par champ, "
    "« non_field_errors » pour ceux qui ne visent aucun champ (texte figé, état…)."
)
FORBIDDEN = OpenApiResponse(
    description="Convention visible mais gérée par une autre équipe : seule l'équipe "
    "académique du périmètre de la convention la modifie."
)
NOT_FOUND = OpenApiResponse(description="Convention inconnue ou hors du périmètre.")
SCOPE = (
    "Visibles : les conventions nationales, celles de la région académique, de l'académie, du "
    "bassin ou de l'établissement de l'utilisateur ; un représentant d'organisation voit les "
    "conventions nationales et celles dont son organisation est partie. Une convention hors "
    "de ce périmètre répond 404."
)
MANAGED = (
    " Réservé à l'équipe académique du périmètre de la convention (administrateur national "
    "pour une convention nationale) : 403 sinon."
)
DRAFT_ONLY = (
    " Seulement sur un brouillon : une fois envoyé en signature, le texte est figé (400) et "
    "ne change plus que par avenant."
)


# --- list filters -----------------------------------------------------------------------------

PARTNER_OUT_OF_REACH = (
    "Partenaire inconnu ou hors de votre périmètre : choisissez une organisation partie à "
    "une convention que vous voyez."
)


class IntegerFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class ConventionFilter(django_filters.FilterSet):
    """The filters of the web list; ``agreement_list`` applies them to the visible conventions."""

    q = django_filters.CharFilter(
        label="Recherche plein texte (intitulé, numéro, préambule, articles, parties), "
        "accents ignorés",
        max_length=200,
    )
    state = django_filters.ChoiceFilter(label="État", choices=AgreementState.choices)
    kind = django_filters.ChoiceFilter(label="Type", choices=AgreementKind.choices)
    scope = django_filters.ChoiceFilter(label="Périmètre", choices=AgreementScope.choices)
    partner = IdFilter(
        label="Identifiant d'une organisation partie à une convention visible (sinon 400)"
    )
    ends_within_days = IntegerFilter(
        label="Conventions en vigueur dont la période en cours finit dans ce nombre de jours",
        min_value=0,
        max_value=3650,
    )
    avenants = django_filters.BooleanFilter(
        label="Inclure les avenants (par défaut : oui)", widget=forms.NullBooleanSelect
    )

    class Meta:
        model = Agreement
        fields = ["q", "state", "kind", "scope", "partner", "ends_within_days", "avenants"]

    def __init__(self, data=None, *args, user=None, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.user = user

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        if data.get("partner") and not partner_in_reach(self.user, data["partner"]):
            raise serializers.ValidationError({"partner": [PARTNER_OUT_OF_REACH]})
        queryset = agreement_list(
            self.user,
            query=data.get("q") or "",
            state=data.get("state") or "",
            kind=data.get("kind") or "",
            scope=data.get("scope") or "",
            partner_id=data.get("partner"),
            ends_within_days=data.get("ends_within_days"),
            include_avenants=data.get("avenants") is not False,
            today=timezone.localdate(),
        )
        if not (data.get("q") or "").strip():
            queryset = queryset.order_by("-created_at", "-pk")
        # The avenants: « day_state » is computed on read with their clause changes.
        return queryset.prefetch_related("parties", "avenants")


# --- rows of a draft ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Rows:
    """A kind of row of a draft: its serializers and services."""

    write: type
    read: type
    save: Callable
    remove: Callable
    argument: str  # the service's keyword for the row
    related: str  # the convention's related manager
    unknown: str


ROWS = {
    "parties": Rows(
        w.PartyWriteSerializer,
        s.ConventionPartySerializer,
        services.party_save,
        services.party_remove,
        "party",
        "parties",
        "Partie inconnue dans cette convention.",
    ),
    "signatories": Rows(
        w.SignatoryWriteSerializer,
        s.ConventionSignatorySerializer,
        services.signatory_save,
        services.signatory_remove,
        "signatory",
        "signatories",
        "Signataire inconnu dans cette convention.",
    ),
    "articles": Rows(
        w.ArticleWriteSerializer,
        s.ConventionArticleSerializer,
        services.article_save,
        services.article_remove,
        "article",
        "articles",
        "Article inconnu dans cette convention.",
    ),
    "commitments": Rows(
        w.CommitmentWriteSerializer,
        s.ConventionCommitmentSerializer,
        services.commitment_save,
        services.commitment_remove,
        "commitment",
        "commitments",
        "Engagement inconnu dans cette convention.",
    ),
}


def _row_schema(kind: str, label: str):
    """The schema of ``POST {id}/<kind>/`` and of ``PATCH``/``DELETE {id}/<kind>/{row}/``."""
    rows = ROWS[kind]
    row_parameter = OpenApiParameter(
        "row_id", OpenApiTypes.INT, OpenApiParameter.PATH, description=f"Identifiant : {label}."
    )
    errors = {400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND}
    create = extend_schema(
        summary=f"Ajouter : {label}",
        description=f"Ajoute une ligne ({label}) au brouillon." + MANAGED + DRAFT_ONLY,
        request=rows.write,
        responses={201: rows.read, **errors},
        tags=TAGS,
        parameters=[ID_PARAMETER],
    )
    change = extend_schema(
        methods=["PATCH"],
        summary=f"Modifier : {label}",
        description="Seuls les champs envoyés changent." + MANAGED + DRAFT_ONLY,
        request=rows.write,
        responses={200: rows.read, **errors},
        tags=TAGS,
        parameters=[ID_PARAMETER, row_parameter],
    )
    remove = extend_schema(
        methods=["DELETE"],
        summary=f"Retirer : {label}",
        description="Retire la ligne du brouillon." + MANAGED + DRAFT_ONLY,
        request=None,
        responses={204: None, **errors},
        tags=TAGS,
        parameters=[ID_PARAMETER, row_parameter],
    )
    return create, change, remove


PARTIES, PARTY, PARTY_DELETE = _row_schema("parties", "partie")
SIGNATORIES, SIGNATORY, SIGNATORY_DELETE = _row_schema("signatories", "signataire")
ARTICLES, ARTICLE, ARTICLE_DELETE = _row_schema("articles", "article")
COMMITMENTS, COMMITMENT, COMMITMENT_DELETE = _row_schema("commitments", "engagement")


def transition_schema(summary, description, request, status_code=200):
    return extend_schema(
        summary=summary,
        description=description,
        tags=TAGS,
        parameters=[ID_PARAMETER],
        request=request,
        responses={
            status_code: s.ConventionSerializer,
            400: BAD_REQUEST,
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
    )


# --- the viewset ---------------------------------------------------------------------------------


class ConventionPermission(permissions.BasePermission):
    """Refuse early (403, before reading the payload) what the services would refuse anyway."""

    def has_permission(self, request, view):
        if view.action == "create" and not can_create(request.user):
            self.message = "Seule l'équipe académique crée des conventions."
            return False
        return True

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        if view.action == "decline":
            if not can_create(request.user):
                self.message = "Seule l'équipe académique décline une convention."
                return False
            return True
        if not can_manage(request.user, obj):
            self.message = "Seule l'équipe académique du périmètre gère cette convention."
            return False
        return True
