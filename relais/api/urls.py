"""The API, mounted at /api/ by config.urls.

- ``/api/v1/``: version 1 (academies, bassins, departements, communes, etablissements,
  organisations). A breaking change will get ``/api/v2/`` beside it.
- ``/api/schema/`` (OpenAPI 3), ``/api/docs/`` (Swagger UI), ``/api/redoc/`` (ReDoc), with
  their scripts served from this server (drf-spectacular-sidecar, no CDN, no web fonts).

Access: every view here is exempt from the login redirect of LoginRequiredMiddleware, so
that a client gets JSON, never the HTML login page. Data endpoints still require a token or
a session (DRF's IsAuthenticated: 401 without credentials). The schema and its two viewers
are public on purpose: they describe the interface and hold no data, and partners must be
able to generate a client before holding an account. Unknown addresses answer a JSON 404.
"""

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.permissions import AllowAny
from rest_framework.routers import DefaultRouter

from .base import exempt_from_login_redirect
from .exceptions import not_found
from .views import (
    actions,
    agreements,
    councils,
    governance,
    internships,
    juries,
    networks,
    pathways,
    pupils,
    reporting,
    resources,
    training,
    volunteers,
)
from .views.establishments import EstablishmentViewSet
from .views.organisations import OrganisationViewSet
from .views.territories import (
    AcademieViewSet,
    BassinViewSet,
    CommuneViewSet,
    DepartementViewSet,
)

router = DefaultRouter()
router.register("academies", AcademieViewSet, basename="academie")
router.register("bassins", BassinViewSet, basename="bassin")
router.register("departements", DepartementViewSet, basename="departement")
router.register("communes", CommuneViewSet, basename="commune")
router.register("etablissements", EstablishmentViewSet, basename="etablissement")
router.register("organisations", OrganisationViewSet, basename="organisation")
for area in (
    agreements, governance, internships, networks, volunteers, actions, pupils, pathways,
    reporting, resources, juries, councils, training,
):  # fmt: skip
    area.register(router)

public = {"permission_classes": [AllowAny]}

# Swagger UI and ReDoc inject their own inline styles and start-up script, and ReDoc runs a
# web worker: these two pages only relax the site's Content-Security-Policy for that.
documentation_csp = csp_update(
    {
        "script-src": [UNSAFE_INLINE],
        "style-src": [UNSAFE_INLINE],
        "worker-src": [SELF, "blob:"],
    }
)

urlpatterns = exempt_from_login_redirect(
    [
        path("v1/", include((router.urls, "api-v1"))),
        path("schema/", SpectacularAPIView.as_view(**public), name="api-schema"),
        path(
            "docs/",
            documentation_csp(SpectacularSwaggerView.as_view(url_name="api-schema", **public)),
            name="api-docs",
        ),
        path(
            "redoc/",
            documentation_csp(
                SpectacularRedocView.as_view(
                    url_name="api-schema", template_name="api/redoc.html", **public
                )
            ),
            name="api-redoc",
        ),
        re_path(r"^.*$", not_found),
    ]
)
