from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.forms import PasswordResetForm as DjangoPasswordResetForm
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST
from rest_framework.authtoken.models import Token

from relais.core.notifications import notify_once
from relais.users.services import api_token_regenerate, api_token_revoke
from relais.users.throttling import seconds_to_wait


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": (
            "Adresse électronique ou mot de passe incorrect. Après 5 essais infructueux, "
            "le compte est bloqué 15 minutes."
        ),
        "inactive": "Ce compte est désactivé. Contactez l'équipe académique.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Adresse électronique"
        self.fields["username"].widget.attrs.update({"autocomplete": "email", "class": "fr-input"})
        self.fields["password"].widget.attrs.update({"class": "fr-input"})

    def clean(self):
        wait = seconds_to_wait(self.data.get("username", ""))
        if wait:  # refused before any password is checked
            raise ValidationError(
                "Trop d'essais de connexion infructueux pour ce compte, depuis plusieurs "
                f"adresses. Par sécurité, patientez {wait} seconde{'s' if wait > 1 else ''} "
                "avant de réessayer.",
                code="slowed_down",
            )
        if self.cleaned_data.get("username"):  # addresses are stored in lower case
            self.cleaned_data["username"] = self.cleaned_data["username"].strip().lower()
        return super().clean()


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True
    extra_context = {"title": "Connexion"}


class PasswordResetForm(DjangoPasswordResetForm):
    """Django's form, whose message goes through the outbox like every e-mail of Relais: the
    page answers at once, even when the SMTP server is down, and the link is sent later."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email,
                  to_email, html_email_template_name=None):  # fmt: skip
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        notify_once(
            key=f"password-reset:{context['uid']}:{context['token']}",
            recipients=[to_email],
            subject=subject,
            body=render_to_string(email_template_name, context),
            about=f"users.user:{context['user'].pk}",
        )


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    extra_context = {"title": "Mot de passe oublié"}


def account_view(request):
    """My account: my roles and scopes, and my API token."""
    memberships = request.user.memberships.select_related(
        "academie", "bassin", "establishment", "organisation"
    ).order_by("role")
    token = Token.objects.filter(user=request.user).first()
    new_key = request.session.pop("new_api_token", None)
    return render(
        request,
        "accounts/account.html",
        {
            "title": "Mon compte",
            "memberships": memberships,
            "token": token,
            "new_key": new_key,
        },
    )


@require_POST
def api_token_create_view(request):
    token = api_token_regenerate(user=request.user)
    request.session["new_api_token"] = token.key
    messages.success(request, "Un nouveau jeton d'API a été créé ; l'ancien ne fonctionne plus.")
    return redirect("account")


@require_POST
def api_token_revoke_view(request):
    api_token_revoke(user=request.user)
    messages.success(request, "Votre jeton d'API a été révoqué.")
    return redirect("account")
