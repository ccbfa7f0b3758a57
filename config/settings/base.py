"""Base settings, driven by environment variables (see docs/environment.md).

``config.settings.test`` and ``config.settings.production`` override a few values.
Without DATABASE_URL, the embedded PostgreSQL server of ``.data/postgres`` is started on demand.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
import django_stubs_ext
from csp.constants import NONE, SELF

# Generic classes of Django (ModelAdmin[Model], QuerySet[Model]…) usable at run time, as typed.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parents[2]
# The open data (opendata/) and the seed texts (seeds/) Relais carries in its own repository.
DATA_DIR = Path(os.environ.get("RELAIS_DATA_DIR", BASE_DIR / "data"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "oui"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Debug pages only on explicit request of a developer (RELAIS_DEBUG=1); never by default.
DEBUG = env_bool("RELAIS_DEBUG", env_bool("DJANGO_DEBUG", False))


def local_secret_key() -> str:
    """This installation's own random key, kept in ``.data/secret_key`` (mode 600).

    Used when DJANGO_SECRET_KEY is not set (``make run`` on a workstation): no key is ever
    shared between installations or written in the code. Production sets DJANGO_SECRET_KEY.
    """
    import secrets

    path = Path(os.environ.get("RELAIS_SECRET_KEY_FILE", BASE_DIR / ".data" / "secret_key"))
    try:
        key = path.read_text().strip()
    except FileNotFoundError:
        key = ""
    if len(key) < 50:
        path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(64)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(key)
    return key


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or local_secret_key()
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "dsfr",
    "widget_tweaks",
    "django_htmx",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "pgtrigger",
    "pghistory",
    "pghistory.admin",
    "axes",
    "csp",
    "procrastinate.contrib.django",
    "relais.core",
    "relais.territories",
    "relais.nomenclatures",
    "relais.establishments",
    "relais.organisations",
    "relais.users",
    "relais.documents",
    "relais.pupils",
    "relais.pathways",
    "relais.resources",
    "relais.agreements",
    "relais.governance",
    "relais.networks",
    "relais.volunteers",
    "relais.actions",
    "relais.internships",
    "relais.juries",
    "relais.training",
    "relais.reporting",
    "relais.www",
    "relais.api",
    "relais.demo",
]

MIDDLEWARE = [
    "relais.www.errors.views.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "relais.www.middleware.ControlCharactersMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "pghistory.middleware.HistoryMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "relais" / "www" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "relais.www.context_processors.navigation",
            ],
        },
    },
]
FORM_RENDERER = "dsfr.forms.DsfrDjangoTemplates"
FORMS_URLFIELD_ASSUME_HTTPS = True
DSFR_MARK_OPTIONAL_FIELDS = True

if os.environ.get("DATABASE_URL"):
    DATABASES = {
        "default": dj_database_url.parse(
            os.environ["DATABASE_URL"], conn_max_age=60, conn_health_checks=True
        )
    }
else:
    from relais.core.embedded_db import database_settings

    DATABASES = {"default": database_settings()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "users.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# CNIL, délibération n° 2022-100 : 12 caractères au moins, avec majuscules, minuscules,
# chiffres et caractères spéciaux, quand l'authentification repose sur le seul mot de passe.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "relais.users.passwords.CnilComplexityValidator"},
]

# Login rate limit (django-axes): 5 failures for one e-mail from one address lock it 15 min.
AXES_FAILURE_LIMIT = int(os.environ.get("RELAIS_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Across addresses, one account's failures slow its logins down (relais/users/throttling.py):
# past this many failures in the cool-off window, each further try waits twice as long.
RELAIS_LOGIN_ACCOUNT_SLOWDOWN_AFTER = int(
    os.environ.get("RELAIS_LOGIN_ACCOUNT_SLOWDOWN_AFTER", "10")
)
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # one row per failure, which that slow-down counts
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_USERNAME_FORM_FIELD = "username"  # the login form field, which holds the e-mail

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "relais" / "www" / "static"]
MEDIA_ROOT = Path(os.environ.get("RELAIS_MEDIA_ROOT", BASE_DIR / ".data" / "media"))
MEDIA_URL = "media/"
# Static files are served by WhiteNoise from STATIC_ROOT (collected by `make run` and the
# container build), compressed and with hashed names; with RELAIS_DEBUG=1 from the apps.
WHITENOISE_USE_FINDERS = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
# The outbox (relais/core/outbox.py): a message is abandoned after this many failed tries.
RELAIS_EMAIL_MAX_ATTEMPTS = int(os.environ.get("RELAIS_EMAIL_MAX_ATTEMPTS", "8"))
DEFAULT_FROM_EMAIL = os.environ.get(
    "RELAIS_FROM_EMAIL", "Relais <ne-pas-repondre@relais.localhost>"
)

# Absolute address of the site, used in e-mails and in the signed links sent to companies.
# Unless set, derived from the host and port that `make run` serves (RELAIS_HOST, RELAIS_PORT).
RELAIS_BASE_URL = (
    os.environ.get("RELAIS_BASE_URL")
    or "http://{host}:{port}".format(
        host=os.environ.get("RELAIS_HOST", "127.0.0.1"), port=os.environ.get("RELAIS_PORT", "8000")
    )
).rstrip("/")
# Uploaded files (signed conventions, minutes): PDF only, at most this size.
RELAIS_UPLOAD_MAX_BYTES = int(os.environ.get("RELAIS_UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = RELAIS_UPLOAD_MAX_BYTES + 1024 * 1024
# Pupil CSV imports and Word templates have their own, smaller limits (relais/core/uploads.py).
RELAIS_PUPIL_IMPORT_MAX_BYTES = int(os.environ.get("RELAIS_PUPIL_IMPORT_MAX_BYTES", 2 * 1024**2))
RELAIS_PUPIL_IMPORT_MAX_ROWS = int(os.environ.get("RELAIS_PUPIL_IMPORT_MAX_ROWS", "5000"))
RELAIS_TEMPLATE_UPLOAD_MAX_BYTES = int(
    os.environ.get("RELAIS_TEMPLATE_UPLOAD_MAX_BYTES", 5 * 1024**2)
)
# Every upload is measured while it is read, and stopped past its limit (relais/core/uploads.py).
FILE_UPLOAD_HANDLERS = [
    "relais.core.uploads.UploadLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# Background jobs: procrastinate on the same PostgreSQL (no broker). Tasks live in each app's
# tasks.py; `make run` starts one worker beside the web server.
PROCRASTINATE_WORKER_DEFAULTS = {"install_signal_handlers": True}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_VERSIONING_CLASS": None,
    "EXCEPTION_HANDLER": "relais.api.exceptions.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API Relais",
    "DESCRIPTION": (
        "API de Relais, la plateforme de la relation école-entreprise. "
        "Authentification par jeton : en-tête « Authorization: Token <jeton> » "
        "(le jeton se crée depuis la page « Mon compte »). Chaque réponse est limitée "
        "au périmètre de l'utilisateur."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets whose field name ("kind", "scope"…) other areas also use: one stable name.
    "ENUM_NAME_OVERRIDES": {
        "ConventionKindEnum": "relais.agreements.enums.AgreementKind",
        "CivilityEnum": "relais.core.enums.Civility",
        "TrainingSectionStatusEnum": "relais.training.enums.SectionStatus",
        "TrainingSectorEnum": "relais.training.enums.SECTOR_CHOICES",
        "TrainingLevelEnum": "relais.training.enums.DiplomaLevel",
        "ConventionScopeEnum": "relais.agreements.enums.AgreementScope",
        "ConventionStateEnum": "relais.agreements.enums.AgreementState",
        "ConventionTransitionEnum": "relais.agreements.enums.Transition",
        "ConventionPartySideEnum": "relais.agreements.enums.PartySide",
        "ConventionSignatureModeEnum": "relais.agreements.enums.SignatureMode",
        "ConventionCommitmentCategoryEnum": "relais.agreements.enums.CommitmentCategory",
        "GovernanceBodyKindEnum": "relais.governance.enums.BodyKind",
        "GovernanceMemberRoleEnum": "relais.governance.enums.MemberRole",
        "GovernanceMeetingStatusEnum": "relais.governance.enums.MeetingState",
        "GovernanceAttendanceStatusEnum": "relais.governance.enums.AttendanceStatus",
        "GovernanceReportStatusEnum": "relais.governance.enums.ReportState",
        "NetworksMandateRoleEnum": "relais.networks.enums.MandateRole",
        "ResourceAudienceEnum": "relais.resources.enums.Audience",
        "ResourceKindEnum": "relais.resources.enums.ResourceKind",
        "ResourceStepEnum": "relais.resources.enums.Step",
        "PreparationTopicEnum": "relais.resources.enums.Topic",
        "CouncilRecommendationTopicEnum": "relais.governance.enums.RecommendationTopic",
        "NetworksByRightEnum": "relais.networks.enums.ByRight",
        "NetworksCampusMemberKindEnum": "relais.networks.enums.CampusMemberKind",
        "ActionsKindEnum": "relais.actions.enums.ActionKind",
        "ActionsLevelEnum": "relais.actions.enums.Level",
        "ActionsOfferStateEnum": "relais.actions.enums.OfferState",
        "ActionsRequestStateEnum": "relais.actions.enums.RequestState",
        "ActionsRequestTransitionEnum": "relais.actions.enums.RequestTransition",
        "InternshipKindEnum": "relais.internships.enums.OfferKind",
        "InternshipLevelEnum": "relais.internships.enums.SchoolLevel",
        "InternshipOfferStateEnum": "relais.internships.enums.OfferState",
        "InternshipCaseStateEnum": "relais.internships.enums.CaseState",
        "PupilLevelEnum": "relais.pupils.enums.Level",
        "VolunteersAdvisorKindEnum": "relais.volunteers.enums.AdvisorKind",
        "VolunteersAdvisorStateEnum": "relais.volunteers.enums.AdvisorState",
        "VolunteersProfessionalStatusEnum": "relais.volunteers.enums.ProfessionalStatus",
        "VolunteersInterventionDomainEnum": "relais.volunteers.enums.InterventionDomain",
        "VolunteersReserveSkillEnum": "relais.volunteers.enums.ReserveSkill",
        "VolunteersAvailabilityEnum": "relais.volunteers.enums.Availability",
        "VolunteersRequestStateEnum": "relais.volunteers.enums.RequestState",
        "VolunteersImmersionStateEnum": "relais.volunteers.enums.ImmersionState",
    },
}

# Content-Security-Policy (django-csp): only this site's own scripts, styles, fonts and
# images, no inline script or style at all. The API documentation pages (Swagger
# UI, ReDoc) relax it for themselves only (relais/api/urls.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Logs: one line per event on standard error, as the process manager collects them.
# RELAIS_LOG_FORMAT=json gives one JSON object per line for a log pipeline.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "relais.core.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": os.environ.get("RELAIS_LOG_FORMAT", "text"),
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("RELAIS_LOG_LEVEL", "WARNING")},
}

# Demo accounts share this password (it follows the CNIL rules above).
RELAIS_DEMO_PASSWORD = os.environ.get("RELAIS_DEMO_PASSWORD", "Relais-Demo-2026!")
