"""Pages of the conseils sectoriels nationaux (Mesure 5): the list, visible nationally, and a
council's page with its members, meetings and recommendations. Members and meetings are
managed on the council's body page like any other body's."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from relais.governance import selectors, services
from relais.governance.enums import MeetingState, RecommendationTopic
from relais.governance.models import Body, Meeting
from relais.governance.perms import can_create_council, can_manage_body
from relais.www.forms import DsfrForm
from relais.www.volunteers.common import form_page, run_form


class CouncilForm(DsfrForm):
    name = forms.CharField(
        label="Nom",
        max_length=255,
        help_text="Par exemple « Conseil sectoriel national du numérique ».",
    )
    sector = forms.CharField(label="Filière", max_length=200)
    min_meetings_per_year = forms.IntegerField(
        label="Réunions par année scolaire (au moins)", min_value=1, max_value=12, initial=2
    )
    rule_text = forms.CharField(
        label="Règle de réunion (texte)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class RecommendationForm(DsfrForm):
    topic = forms.ChoiceField(label="Thème", choices=RecommendationTopic.choices)
    text = forms.CharField(label="Recommandation", widget=forms.Textarea(attrs={"rows": 3}))
    addressed_to = forms.CharField(
        label="Destinataire",
        max_length=255,
        required=False,
        help_text="Par exemple « DGESIP », « commission professionnelle consultative ».",
    )
    meeting = forms.ModelChoiceField(
        label="Adoptée lors de la réunion",
        queryset=Meeting.objects.none(),
        required=False,
        help_text="Vide : adoptée par consultation écrite.",
    )

    def __init__(self, *args, body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = body.meetings.filter(state=MeetingState.HELD).order_by(
            "-starts_at"
        )


class FollowUpForm(DsfrForm):
    follow_up = forms.CharField(label="Suites données", widget=forms.Textarea(attrs={"rows": 2}))
    followed_up_on = forms.DateField(
        label="Le",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


def _council(request, pk) -> Body:
    try:
        return selectors.council_get(request.user, pk)
    except Body.DoesNotExist as exc:
        raise Http404("Conseil introuvable.") from exc


def council_list_view(request):
    return render(
        request,
        "governance/council_list.html",
        {
            "title": "Conseils sectoriels nationaux",
            "councils": list(selectors.council_list(request.user)),
            "can_create": can_create_council(request.user),
        },
    )


def council_create_view(request):
    if not can_create_council(request.user):
        raise PermissionDenied("Seule l'administration nationale crée un conseil sectoriel.")
    form = CouncilForm(request.POST or None)

    def create(data):
        return services.council_create(
            user=request.user, name=data["name"], sector=data["sector"], data=data
        )

    council = run_form(request, form, create)
    if council is not None:
        messages.success(request, "Conseil créé : ajoutez ses membres et sa première réunion.")
        return redirect("governance:council_detail", pk=council.pk)
    return form_page(
        request,
        form,
        title="Nouveau conseil sectoriel national",
        submit="Créer le conseil",
        back_url="/instances/conseils-sectoriels/",
    )


def council_detail_view(request, pk):
    council = _council(request, pk)
    manages = can_manage_body(request.user, council)
    return render(
        request,
        "governance/council_detail.html",
        {
            "title": council.name,
            "council": council,
            "manages": manages,
            "form": RecommendationForm(body=council) if manages else None,
        },
    )


@require_POST
def recommendation_add_view(request, pk):
    council = _council(request, pk)
    if not can_manage_body(request.user, council):
        raise PermissionDenied("Seule l'administration nationale anime ce conseil.")
    form = RecommendationForm(request.POST, body=council)

    def add(data):
        return services.recommendation_add(
            user=request.user,
            body=council,
            topic=data["topic"],
            text=data["text"],
            meeting=data.get("meeting"),
            addressed_to=data.get("addressed_to", ""),
        )

    if run_form(request, form, add) is not None:
        messages.success(request, "Recommandation enregistrée.")
        return redirect("governance:council_detail", pk=council.pk)
    return render(
        request,
        "governance/council_detail.html",
        {"title": council.name, "council": council, "manages": True, "form": form},
        status=400,
    )


def recommendation_follow_up_view(request, pk):
    recommendation = get_object_or_404(selectors.recommendations_visible_to(request.user), pk=pk)
    if not can_manage_body(request.user, recommendation.body):
        raise PermissionDenied("Seule l'administration nationale anime ce conseil.")
    form = FollowUpForm(request.POST or None, initial={"follow_up": recommendation.follow_up})

    def follow(data):
        return services.recommendation_follow_up(
            user=request.user,
            recommendation=recommendation,
            follow_up=data["follow_up"],
            on=data.get("followed_up_on"),
        )

    if run_form(request, form, follow) is not None:
        messages.success(request, "Suites enregistrées.")
        return redirect("governance:council_detail", pk=recommendation.body_id)
    return form_page(
        request,
        form,
        title="Suites données à la recommandation",
        intro=recommendation.text,
        submit="Enregistrer",
        back_url=f"/instances/conseils-sectoriels/{recommendation.body_id}/",
    )
