"""Writes of the library of kits and resources (Mesures 2, 7 and 9).

- the académie team adds and versions its académie's resources, the national team the
  national ones (``perms``); a new version never changes an old one (the database refuses
  any update of a version), so what a company was sent stays readable;
- every open, download and send is counted (``use_record``), without the reader's name when
  the reader has no account (a company opening the tutor kit from its e-mail);
- companies open a resource without an account through a signed link (``share_url``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from relais.core.notifications import absolute_url
from relais.documents.uploads import validate_pdf_upload
from relais.users.models import User
from relais.users.types import AnyUser

from .enums import ResourceKind, UseKind
from .models import Resource, ResourceUse, ResourceVersion
from .perms import can_manage_academie, can_manage_resource

SHARE_SALT = "relais.resources.share"
SHARE_DAYS = 400  # a tutor kit stays readable through the school year after the proposal


@dataclass(frozen=True)
class VersionData:
    """What a version holds: a text, a link, a PDF (at least one)."""

    body: str = ""
    url: str = ""
    file: Any = None  # an uploaded PDF, already checked by the form or the serializer
    note: str = ""


def _check_fields(resource: Resource) -> None:
    if resource.kind != ResourceKind.TOOLBOX:
        resource.step = ""
    if resource.kind != ResourceKind.PREPARATION:
        resource.topic = ""
    if resource.kind == ResourceKind.PREPARATION and not resource.topic:
        raise ValidationError(
            {"topic": "Indiquez lequel des quatre contenus cette ressource sert."}
        )
    if resource.kind == ResourceKind.TOOLBOX and not resource.step:
        raise ValidationError({"step": "Indiquez l'étape du projet où l'action se construit."})
    resource.full_clean(exclude=["current", "created_by"], validate_constraints=False)


def _add_version(*, user: User, resource: Resource, data: VersionData) -> ResourceVersion:
    body, url = data.body.strip(), data.url.strip()
    if not (body or url or data.file):
        raise ValidationError(
            {"body": "Une version a un contenu : un texte, un lien ou un fichier PDF."}
        )
    last = resource.versions.order_by("-number").values_list("number", flat=True).first()
    version = ResourceVersion(
        resource=resource,
        number=(last or 0) + 1,
        body=body,
        url=url,
        note=" ".join(data.note.split())[:255],
        created_by=user,
    )
    if data.file:
        validate_pdf_upload(data.file)
        content = data.file.read()
        data.file.seek(0)
        version.sha256 = hashlib.sha256(content).hexdigest()
        version.file_name = (getattr(data.file, "name", "") or "ressource.pdf")[:255]
        version.file_size = len(content)
        version.file.save("ressource.pdf", ContentFile(content), save=False)
    version.full_clean(exclude=["resource", "created_by", "file"], validate_constraints=False)
    version.save()
    resource.current = version
    resource.save(update_fields=["current"])
    return version


@transaction.atomic
def resource_create(*, user: User, resource: Resource, version: VersionData) -> Resource:
    """Add a resource to the library with its first version. Only the académie's team (or
    the national team, for a national resource) may; one tutor kit in force per académie
    and one national."""
    if not can_manage_academie(user, resource.academie_id):
        raise PermissionDenied("Seule l'équipe qui gère ce territoire ajoute ses ressources.")
    _check_fields(resource)
    resource.created_by = user
    try:
        with transaction.atomic():
            resource.save()
    except IntegrityError:
        raise ValidationError(
            {"kind": "Un kit du tuteur est déjà en service sur ce territoire : publiez-en une "
             "nouvelle version ou archivez-le d'abord."}
        ) from None  # fmt: skip
    _add_version(user=user, resource=resource, data=version)
    return resource


@transaction.atomic
def resource_version_add(
    *, user: User, resource: Resource, version: VersionData
) -> ResourceVersion:
    """Publish a new version: it becomes the one shown and sent; the older ones stay, with
    their counts, in the resource's history."""
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    if not can_manage_resource(user, resource):
        raise PermissionDenied("Seule l'équipe qui gère cette ressource la met à jour.")
    if resource.archived_at is not None:
        raise ValidationError("Cette ressource est archivée : elle ne reçoit plus de version.")
    return _add_version(user=user, resource=resource, data=version)


@transaction.atomic
def resource_archive(*, user: User, resource: Resource) -> Resource:
    """Withdraw a resource from the library's lists (its history and counts stay)."""
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    if not can_manage_resource(user, resource):
        raise PermissionDenied("Seule l'équipe qui gère cette ressource l'archive.")
    if resource.archived_at is None:
        resource.archived_at = timezone.now()
        resource.save(update_fields=["archived_at"])
    return resource


def use_record(
    *, resource: Resource, kind: str, user: AnyUser | None = None, context: str = ""
) -> ResourceUse | None:
    """Count one use of the resource's current version (None when it has no version)."""
    if resource.current_id is None:
        return None
    author = user if isinstance(user, User) and user.is_authenticated else None
    return ResourceUse.objects.create(
        resource=resource,
        version_id=resource.current_id,
        kind=kind,
        user=author,
        context=context[:80],
    )


def share_token(resource: Resource) -> str:
    return signing.TimestampSigner(salt=SHARE_SALT).sign(str(resource.pk))


def share_url(resource: Resource) -> str:
    """The address where a company reads the resource without an account."""
    return absolute_url(reverse("resources:shared", args=[share_token(resource)]))


def resource_from_token(token: str) -> Resource:
    """The resource of a shared link; a French ValidationError when the link is not valid."""
    try:
        value = signing.TimestampSigner(salt=SHARE_SALT).unsign(token, max_age=SHARE_DAYS * 86400)
    except signing.SignatureExpired:
        raise ValidationError(
            "Ce lien a expiré : demandez-le de nouveau au pôle de stages."
        ) from None
    except signing.BadSignature:
        raise ValidationError("Ce lien n'est pas valide.") from None
    resource = (
        Resource.objects.select_related("current")
        .filter(pk=int(value), current__isnull=False)
        .first()
    )
    if resource is None:
        raise ValidationError("Cette ressource n'existe plus.")
    return resource


@dataclass(frozen=True)
class SentKit:
    """The tutor kit as it goes out with a proposal: its title, its link, its PDF if any."""

    title: str
    link: str
    attachment: tuple[str, bytes, str] | None


def tutor_kit_send(*, academie_id: int | None, context: str) -> SentKit | None:
    """The tutor kit goes with every proposal to a company (Mesure 2: « aider les entreprises
    à préparer l'accueil des stagiaires »): the académie's kit, else the national one; the
    send is counted. None when no kit is in force."""
    from .selectors import tutor_kit_for

    kit = tutor_kit_for(academie_id=academie_id)
    if kit is None or kit.current is None:
        return None
    use_record(resource=kit, kind=UseKind.SEND, context=context)
    attachment = None
    version = kit.current
    if version.file:
        with version.file.open("rb") as handle:
            attachment = (version.file_name or "kit-tuteur.pdf", handle.read(), "application/pdf")
    return SentKit(title=kit.title, link=share_url(kit), attachment=attachment)
