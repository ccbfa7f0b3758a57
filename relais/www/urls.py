from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import TemplateView

from .accounts import views as account_views
from .dashboard.views import dashboard
from .errors.views import health
from .territories.views import commune_suggestions_view

urlpatterns = [
    path("", dashboard, name="dashboard"),
    path("sante/", health, name="health"),
    path("connexion/", account_views.LoginView.as_view(), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("compte/", account_views.account_view, name="account"),
    path("compte/jeton/", account_views.api_token_create_view, name="api_token_create"),
    path("compte/jeton/revoquer/", account_views.api_token_revoke_view, name="api_token_revoke"),
    path(
        "compte/mot-de-passe/",
        auth_views.PasswordChangeView.as_view(extra_context={"title": "Changer de mot de passe"}),
        name="password_change",
    ),
    path(
        "compte/mot-de-passe/fait/",
        auth_views.PasswordChangeDoneView.as_view(extra_context={"title": "Mot de passe changé"}),
        name="password_change_done",
    ),
    path(
        "mot-de-passe-oublie/",
        account_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "mot-de-passe-oublie/envoye/",
        auth_views.PasswordResetDoneView.as_view(extra_context={"title": "Courriel envoyé"}),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe-oublie/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            extra_context={"title": "Nouveau mot de passe"}
        ),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe-oublie/termine/",
        auth_views.PasswordResetCompleteView.as_view(
            extra_context={"title": "Mot de passe réinitialisé"}
        ),
        name="password_reset_complete",
    ),
    path(
        "accessibilite/",
        login_not_required(
            TemplateView.as_view(
                template_name="pages/accessibility.html", extra_context={"title": "Accessibilité"}
            )
        ),
        name="accessibility",
    ),
    path("communes/suggestions/", commune_suggestions_view, name="commune_suggestions"),
    path("etablissements/", include("relais.www.establishments.urls")),
    path("organisations/", include("relais.www.organisations.urls")),
    path("conventions/", include("relais.www.agreements.urls")),
    path("instances/", include("relais.www.governance.urls")),
    path("eleves/", include("relais.www.pupils.urls")),
    path("stages/", include("relais.www.internships.urls")),
    path("parcours/", include("relais.www.pathways.urls")),
    path("reseaux/", include("relais.www.networks.urls")),
    path("benevoles/", include("relais.www.volunteers.urls")),
    path("actions/", include("relais.www.actions.urls")),
    path("ressources/", include("relais.www.resources.urls")),
    path("jurys/", include("relais.www.juries.urls")),
    path("formations/", include("relais.www.training.urls")),
    path("courriels/", include("relais.www.outbox.urls")),
    path("donnees/", include("relais.www.opendata.urls")),
    path("pilotage/", include("relais.www.national.urls")),
]
