"""French error pages in the DSFR style (config.urls sets them as Django's handlers), and the
health endpoint that a load balancer or a process manager polls.

The 500 page is rendered with the request, like every page; if that rendering fails too
(the database is down, so the menu cannot be built), a self-contained page is sent instead,
so that a user never sees a stack trace nor an empty answer.
"""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)

FALLBACK_500 = """<!DOCTYPE html>
<html lang="fr">
  <head><meta charset="utf-8"><title>Erreur du serveur — Relais</title></head>
  <body>
    <main>
      <h1>Le service rencontre un problème</h1>
      <p>Rien de ce que vous avez déjà enregistré n'est perdu. Réessayez dans quelques
      instants ; si le problème continue, prévenez l'équipe académique.</p>
      <p><a href="/">Retour au tableau de bord</a></p>
    </main>
  </body>
</html>
"""


def _error_page(request, template: str, status: int, title: str, **context) -> HttpResponse:
    return render(request, template, {"title": title, **context}, status=status)


def bad_request(request, exception=None):
    return _error_page(request, "400.html", 400, "Requête invalide")


def permission_denied(request, exception=None):
    message = str(exception) if exception and str(exception) else ""
    return _error_page(request, "403.html", 403, "Accès refusé", message=message)


def page_not_found(request, exception=None):
    return _error_page(request, "404.html", 404, "Page introuvable")


def server_error(request):
    try:
        return _error_page(request, "500.html", 500, "Erreur du serveur")
    except Exception:  # the page itself failed (database down…): the plain page
        logger.exception("La page d'erreur 500 n'a pas pu être rendue.")
        return HttpResponseServerError(FALLBACK_500)


@never_cache
@login_not_required
@require_GET
def health(request):
    """``/sante/``: 200 when the database answers, 503 otherwise (no data, no login)."""
    return database_health()


def database_health() -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Contrôle de santé : la base de données ne répond pas.")
        return JsonResponse({"statut": "indisponible", "base": "injoignable"}, status=503)
    return JsonResponse({"statut": "ok", "base": "ok"})


class HealthCheckMiddleware:
    """Answers ``/sante/`` before any other middleware: a load balancer or the container's
    health check calls it by the machine's address over plain HTTP, which the host check
    (ALLOWED_HOSTS) and the HTTPS redirect of production would otherwise refuse."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/sante/" and request.method in ("GET", "HEAD"):
            response = database_health()
            response["Cache-Control"] = "no-store"
            return response
        return self.get_response(request)
