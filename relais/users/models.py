"""Accounts: a User logs in with an e-mail; what they see and do comes from Memberships."""

from typing import TYPE_CHECKING, Any, ClassVar

import pghistory
import pgtrigger
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone

from relais.establishments.models import Establishment
from relais.organisations.models import Organisation
from relais.territories.models import Academie, Bassin

from .enums import ROLE_SCOPE, AccessPurpose, PersonalData, Role, ScopeKind

if TYPE_CHECKING:
    from .scopes import Reach


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("L'adresse électronique est obligatoire.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField("adresse électronique", unique=True)
    first_name = models.CharField("prénom", max_length=150, blank=True)
    last_name = models.CharField("nom", max_length=150, blank=True)
    job_title = models.CharField("fonction", max_length=200, blank=True)
    phone = models.CharField("téléphone", max_length=40, blank=True)
    is_active = models.BooleanField("actif", default=True)
    is_staff = models.BooleanField(
        "accès à l'administration",
        default=False,
        help_text="Donne accès à l'interface d'administration (back-office).",
    )
    is_demo = models.BooleanField("compte de démonstration", default=False)
    date_joined = models.DateTimeField("inscrit le", default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    # The reach of this user, cached for the request by ``scopes.get_reach`` (never stored).
    _relais_reach: "Reach"

    class Meta:
        verbose_name = "utilisateur"
        verbose_name_plural = "utilisateurs"
        ordering = ["last_name", "first_name", "email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name or self.email

    @property
    def reach(self) -> "Reach":
        """What this user reaches (computed once per request, ``scopes.get_reach``); the
        reference apps read it through ``relais.core.access.reach_of``."""
        from .scopes import get_reach

        return get_reach(self)


SCOPE_FIELDS = {
    ScopeKind.ACADEMIE: "academie",
    ScopeKind.BASSIN: "bassin",
    ScopeKind.ESTABLISHMENT: "establishment",
    ScopeKind.ORGANISATION: "organisation",
}


def _scope_constraint() -> Q:
    """Each role is held on exactly its own kind of scope: the matching foreign key is set and
    the others are empty (a national role has none)."""
    condition = Q()
    for role, scope in ROLE_SCOPE.items():
        clause = Q(role=role)
        for kind, field in SCOPE_FIELDS.items():
            clause &= Q(**{f"{field}__isnull": kind != scope})
        condition |= clause
    return condition


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Membership(models.Model):
    """A role held by a user on a scope: the whole country, an académie, a bassin, an
    établissement or an organisation. Permissions are this data, never flags on the user."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField("rôle", max_length=30, choices=Role.choices)
    academie = models.ForeignKey(Academie, null=True, blank=True, on_delete=models.CASCADE)
    bassin = models.ForeignKey(Bassin, null=True, blank=True, on_delete=models.CASCADE)
    establishment = models.ForeignKey(
        Establishment,
        verbose_name="établissement",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
    )
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.CASCADE)
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    class Meta:
        verbose_name = "rattachement"
        verbose_name_plural = "rattachements"
        constraints = [
            models.CheckConstraint(
                condition=_scope_constraint(), name="membership_scope_matches_role"
            ),
            models.UniqueConstraint(
                fields=["user", "role", "academie", "bassin", "establishment", "organisation"],
                nulls_distinct=False,
                name="membership_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} — {self.scope_label}"

    @property
    def scope_kind(self) -> ScopeKind:
        return ROLE_SCOPE[Role(self.role)]

    @property
    def scope(self):
        field = SCOPE_FIELDS.get(self.scope_kind)
        return getattr(self, field) if field else None

    @property
    def scope_label(self) -> str:
        scope = self.scope
        return "National" if scope is None else str(scope)


class PersonalDataAccess(models.Model):
    """Journal of the reads and exports of personal data: who, when, what (which record, or
    which export with its filters) and why (DESIGN.md § 3: minors' data, « log every
    export »). Written by ``services.personal_data_log``; the database refuses to change or
    delete a row. The national administration browses it in the back-office."""

    user = models.ForeignKey(
        User,
        verbose_name="qui",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField("quand", default=timezone.now, db_index=True)
    purpose = models.CharField("pourquoi", max_length=20, choices=AccessPurpose.choices)
    data = models.CharField("données", max_length=30, choices=PersonalData.choices)
    # The record read ("internships.pupil:12"); empty for an export.
    about = models.CharField("fiche", max_length=100, blank=True, db_index=True)
    description = models.CharField("quoi", max_length=255)
    filters = models.JSONField("filtres", default=dict, blank=True)
    fmt = models.CharField("format", max_length=10, blank=True)
    rows = models.PositiveIntegerField("lignes", null=True, blank=True)

    class Meta:
        verbose_name = "accès à des données personnelles"
        verbose_name_plural = "journal des accès aux données personnelles"
        ordering = ["-at", "-pk"]
        triggers = [
            pgtrigger.Protect(
                name="personal_data_access_append_only",
                operation=pgtrigger.Update | pgtrigger.Delete,
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} — {self.description} ({self.at:%d/%m/%Y %H:%M})"
