"""The library of kits and resources: each resource has numbered versions (a new version
never changes an old one: the database refuses it) and a count of its uses (opens,
downloads, sends to companies)."""

from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from relais.territories.models import Academie

from .enums import Audience, ResourceKind, Step, Topic, UseKind


def _choices_in(field: str, choices: list[tuple[str, str]]) -> Q:
    return Q(**{f"{field}__in": [value for value, _ in choices]})


class Resource(models.Model):
    """A kit, a toolbox entry, a preparation sheet or a training link. Without académie it
    is national (managed by the national team); otherwise the académie team manages it."""

    title = models.CharField("titre", max_length=200)
    summary = models.TextField("présentation", blank=True)
    audience = models.CharField("public", max_length=12, choices=Audience.choices)
    kind = models.CharField("type", max_length=14, choices=ResourceKind.choices)
    step = models.CharField(
        "étape du projet", max_length=16, choices=Step.choices, blank=True,
        help_text="Pour la boîte à outils : à quelle étape l'action se construit.",
    )  # fmt: skip
    topic = models.CharField(
        "contenu de la préparation", max_length=10, choices=Topic.choices, blank=True,
        help_text="Pour la préparation du stage de 3e : lequel des quatre contenus.",
    )  # fmt: skip
    academie = models.ForeignKey(
        Academie,
        verbose_name="académie",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Vide : ressource nationale.",
    )
    current = models.ForeignKey(
        "ResourceVersion",
        verbose_name="version en cours",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    archived_at = models.DateTimeField("archivée le", null=True, blank=True)
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "ressource"
        verbose_name_plural = "ressources"
        ordering = ["audience", "kind", "title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=_choices_in("audience", Audience.choices), name="resource_audience"
            ),
            models.CheckConstraint(
                condition=_choices_in("kind", ResourceKind.choices), name="resource_kind"
            ),
            models.CheckConstraint(
                condition=Q(step="") | Q(kind=ResourceKind.TOOLBOX), name="resource_step_toolbox"
            ),
            models.CheckConstraint(
                condition=Q(topic="") | Q(kind=ResourceKind.PREPARATION),
                name="resource_topic_preparation",
            ),
            # One tutor kit in force per académie, one national.
            models.UniqueConstraint(
                fields=["academie"],
                condition=Q(kind=ResourceKind.TUTOR_KIT, archived_at__isnull=True),
                name="resource_one_tutor_kit",
                nulls_distinct=False,
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("resources:detail", args=[self.pk])

    @property
    def scope_label(self) -> str:
        return str(self.academie) if self.academie_id else "Nationale"


def version_path(instance: ResourceVersion, filename: str) -> str:
    return f"ressources/{instance.resource_id}/v{instance.number}-{instance.sha256[:12]}.pdf"


class ResourceVersion(models.Model):
    """One version of a resource: its text, link or PDF, frozen once written (a trigger
    refuses any update), so that what was sent to a company stays readable."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField("version")
    body = models.TextField("contenu", blank=True)
    url = models.URLField("lien", max_length=500, blank=True)
    file = models.FileField("fichier PDF", upload_to=version_path, blank=True)
    file_name = models.CharField("nom du fichier", max_length=255, blank=True)
    file_size = models.PositiveIntegerField("taille (octets)", default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    note = models.CharField("ce qui change", max_length=255, blank=True)
    created_at = models.DateTimeField("publiée le", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "version d'une ressource"
        verbose_name_plural = "versions des ressources"
        ordering = ["resource", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["resource", "number"], name="resource_version_once"),
            models.CheckConstraint(
                condition=~Q(body="") | ~Q(url="") | ~Q(file=""), name="resource_version_content"
            ),
        ]
        triggers = [
            pgtrigger.Protect(name="resource_version_frozen", operation=pgtrigger.Update),
        ]

    def __str__(self) -> str:
        return f"{self.resource} — version {self.number}"


class ResourceUse(models.Model):
    """One use of a resource: opened, downloaded, or sent to a company with a proposal."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="uses")
    version = models.ForeignKey(ResourceVersion, on_delete=models.CASCADE, related_name="uses")
    kind = models.CharField("utilisation", max_length=14, choices=UseKind.choices)
    at = models.DateTimeField("le", default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    context = models.CharField("à l'occasion de", max_length=80, blank=True)

    class Meta:
        verbose_name = "utilisation d'une ressource"
        verbose_name_plural = "utilisations des ressources"
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=_choices_in("kind", UseKind.choices), name="use_kind"),
        ]
        indexes = [models.Index(fields=["resource", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} de {self.resource_id} le {self.at:%d/%m/%Y}"
