"""API endpoints of the training offer and of the young newcomers, registered on the v1
router by relais.api.urls:

- ``formations/sections/``: the inventory (filters ``secteur``, ``statut``);
- ``formations/evolutions/``: the changes under concertation, with their opinions; a
  consulted organisation gives its opinion (POST ``formations/evolutions/<id>/avis/``);
- ``formations/metiers-en-tension/``: read, and reported by a partner (POST);
- ``jeunes-allophones/``: the CVs' minimum data, for the CASNAV and the companies they were
  shared with only; a company answers (POST ``<id>/reponse/``) and moves its answer on
  (POST ``<id>/reponse/<étape>/``); ``jeunes-allophones/engagements/``: the counts of the
  « CASNAV » commitments, under 11 hidden.
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from relais.organisations.models import Organisation
from relais.territories.models import Academie
from relais.training import perms, selectors, services
from relais.training.models import NewcomerAnswer, SectionOpinion
from relais.training.workflows import ANSWER_WORKFLOW

from ..base import ApiViewSetMixin
from ..serializers.training import (
    AnswerStepSerializer,
    AnswerWriteSerializer,
    CasnavCommitmentLineSerializer,
    NewcomerAnswerSerializer,
    NewcomerSerializer,
    OpinionWriteSerializer,
    SectionChangeSerializer,
    SectionOpinionSerializer,
    ShortageReportSerializer,
    ShortageWriteSerializer,
    TrainingSectionSerializer,
)

TAGS = ["Offre de formation et apprentissage"]
YOUNG = ["Jeunes allophones (CASNAV)"]
REFUSED = OpenApiResponse(description="Refusé : message en français.")


@extend_schema_view(
    list=extend_schema(summary="Sections de formation visibles", tags=TAGS),
    retrieve=extend_schema(summary="Une section", tags=TAGS),
)
class TrainingSectionViewSet(ApiViewSetMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = TrainingSectionSerializer
    filter_backends = []
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        params = self.request.query_params
        return selectors.section_filter(
            selectors.sections_visible_to(user=self.request.user).order_by("pk"),
            sector=params.get("secteur", ""), status=params.get("statut", ""),
            academie=params.get("academie", ""), bassin=params.get("bassin", ""),
        )  # fmt: skip


@extend_schema_view(
    list=extend_schema(summary="Évolutions de la carte des formations", tags=TAGS),
    retrieve=extend_schema(summary="Une évolution et ses avis", tags=TAGS),
)
class SectionChangeViewSet(ApiViewSetMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = SectionChangeSerializer
    filter_backends = []
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return (
            selectors.changes_visible_to(user=self.request.user)
            .prefetch_related("opinions__organisation")
            .order_by("-pk")
        )

    @extend_schema(
        summary="Rendre l'avis de son organisation (organisation consultée)",
        tags=TAGS,
        request=OpinionWriteSerializer,
        responses={200: SectionOpinionSerializer, 400: REFUSED, 403: REFUSED, 404: REFUSED},
    )
    @action(detail=True, methods=["post"], url_path="avis")
    def opinion(self, request, pk=None):
        change = self.get_object()
        data = OpinionWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        opinion = get_object_or_404(
            SectionOpinion.objects.select_related("organisation"),
            pk=data.validated_data["opinion_id"],
            change=change,
        )
        opinion = services.opinion_give(
            user=request.user, opinion=opinion, value=data.validated_data["opinion"],
            comment=data.validated_data["comment"],
        )  # fmt: skip
        return Response(SectionOpinionSerializer(opinion).data)


@extend_schema_view(
    list=extend_schema(summary="Métiers en tension signalés", tags=TAGS),
    retrieve=extend_schema(summary="Un métier en tension", tags=TAGS),
)
class ShortageViewSet(ApiViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ShortageReportSerializer
    filter_backends = []
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors.shortages_visible_to(user=self.request.user).order_by("-pk")

    @extend_schema(
        summary="Signaler un métier en tension (partenaire, équipe académique)",
        tags=TAGS,
        request=ShortageWriteSerializer,
        responses={201: ShortageReportSerializer, 400: REFUSED, 403: REFUSED, 404: REFUSED},
    )
    def create(self, request, *args, **kwargs):
        data = ShortageWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        organisation = Organisation.objects.filter(pk=values["organisation_id"]).first()
        academie = Academie.objects.filter(code=values["academie"]).first()
        if organisation is None or academie is None:
            raise NotFound("Organisation ou académie inconnue.")
        report = services.shortage_report(
            user=request.user, organisation=organisation, academie=academie, data=dict(values)
        )
        return self.created(report, ShortageReportSerializer(report).data)


@extend_schema_view(
    list=extend_schema(
        summary="CV de jeunes allophones (CASNAV, entreprises destinataires)", tags=YOUNG
    ),
    retrieve=extend_schema(summary="Un CV (données minimales)", tags=YOUNG),
)
class NewcomerViewSet(ApiViewSetMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = NewcomerSerializer
    filter_backends = []
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return (
            selectors.newcomers_visible_to(user=self.request.user)
            .select_related("academie")
            .order_by("-pk")
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        user = self.request.user
        answers: dict[int, list] = {}
        queryset = NewcomerAnswer.objects.filter(newcomer__in=self.get_queryset()).select_related(
            "company", "newcomer"
        )
        casnav = perms.casnav_academie_ids(user)
        companies = perms.company_ids(user)
        for answer in queryset.order_by("pk"):
            if answer.newcomer.academie_id in casnav or answer.company_id in companies:
                answers.setdefault(answer.newcomer_id, []).append(answer)
        context["answers"] = answers
        return context

    @extend_schema(
        summary="Dire l'intérêt de son entreprise", tags=YOUNG, request=AnswerWriteSerializer,
        responses={201: NewcomerAnswerSerializer, 400: REFUSED, 403: REFUSED, 404: REFUSED},
    )  # fmt: skip
    @action(detail=True, methods=["post"], url_path="reponse")
    def answer(self, request, pk=None):
        newcomer = self.get_object()
        data = AnswerWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        company = get_object_or_404(Organisation, pk=data.validated_data["company_id"])
        answer = services.answer_create(
            user=request.user, newcomer=newcomer, company=company,
            note=data.validated_data["note"],
        )  # fmt: skip
        return Response(NewcomerAnswerSerializer(answer).data, status=201)

    @extend_schema(
        summary="Faire avancer sa réponse : proposer_entretien, promettre, signer, clore",
        tags=YOUNG, operation_id="v1_jeunes_allophones_reponse_step", request=AnswerStepSerializer,
        responses={200: NewcomerAnswerSerializer, 400: REFUSED, 403: REFUSED, 404: REFUSED},
    )  # fmt: skip
    @action(detail=True, methods=["post"], url_path=r"reponse/(?P<step>[a-z_]+)")
    def step(self, request, pk=None, step=""):
        if step not in ANSWER_WORKFLOW.by_name:
            raise NotFound("Étape inconnue.")
        newcomer = self.get_object()
        data = AnswerStepSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        answer = get_object_or_404(
            selectors.newcomer_answers(user=request.user, newcomer=newcomer),
            pk=values["answer_id"],
        )
        answer = services.answer_advance(
            user=request.user, answer=answer, name=step, contract_kind=values["contract_kind"],
            interview_on=values["interview_on"], note=values["note"],
        )  # fmt: skip
        return Response(NewcomerAnswerSerializer(answer).data)

    @extend_schema(
        summary="Engagements « CASNAV » des conventions (nombres sous 11 masqués)",
        tags=YOUNG,
        responses={200: CasnavCommitmentLineSerializer(many=True)},
    )
    @action(detail=False, methods=["get"], url_path="engagements", pagination_class=None)
    def commitments(self, request):
        report = selectors.commitment_report(user=request.user)
        return Response(CasnavCommitmentLineSerializer(report, many=True).data)


def register(router) -> None:
    """Add this area's viewsets to the v1 router."""
    router.register("formations/sections", TrainingSectionViewSet, basename="training-section")
    router.register("formations/evolutions", SectionChangeViewSet, basename="training-change")
    router.register("formations/metiers-en-tension", ShortageViewSet, basename="training-shortage")
    router.register("jeunes-allophones", NewcomerViewSet, basename="newcomer")
