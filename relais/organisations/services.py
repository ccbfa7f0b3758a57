"""Every write on organisations. Views and the API validate input, then call one of these."""

from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from relais.core.access import reach_of
from relais.core.identifiers import normalize_siret
from relais.core.text import search_key

from .enums import OrganisationLevel
from .models import Organisation
from .perms import can_create_organisation, can_edit_organisation, can_edit_territory_of
from .selectors import is_visible_to, siret_holder

EDITABLE_FIELDS = [
    "name",
    "acronym",
    "kind",
    "level",
    "parent",
    "siret",
    "naf",
    "size_band",
    "address",
    "postal_code",
    "commune",
    "academie",
    "academic_region",
    "email",
    "phone",
    "website",
    "description",
]


HIDDEN_DUPLICATE_MESSAGE = (
    "Une organisation portant ce SIRET existe déjà dans Relais ; demandez à l'équipe "
    "académique de vous y rattacher."
)


class DuplicateSiretError(ValidationError):
    """A SIRET already held by another organisation. ``existing`` is that organisation only
    when the user may read it (so the UI can link to it), otherwise None: the message then
    names nobody, and says whom to ask."""

    def __init__(self, existing: Organisation | None) -> None:
        self.existing = existing
        if existing is None:
            error = ValidationError(HIDDEN_DUPLICATE_MESSAGE, code="duplicate_siret")
        else:
            error = ValidationError(
                "Ce SIRET est déjà enregistré pour « %(name)s ».",
                code="duplicate_siret",
                params={"name": existing.name},
            )
        super().__init__({"siret": error})


def organisation_create(*, user: object, data: Mapping[str, object]) -> Organisation:
    """Create a partner. Its territory follows its level and commune (``_apply_territory``);
    the user must be allowed to act on that territory; a SIRET is unique."""
    if not can_create_organisation(reach_of(user)):
        raise PermissionDenied("Vous ne pouvez pas créer d'organisation.")
    organisation = Organisation()
    return _save(user=user, organisation=organisation, data=data)


def organisation_update(
    *, user: object, organisation: Organisation, data: Mapping[str, object]
) -> Organisation:
    """Change a partner the user may edit (see ``perms.can_edit_organisation``)."""
    if not can_edit_organisation(reach_of(user), organisation):
        raise PermissionDenied("Vous ne pouvez pas modifier cette organisation.")
    return _save(user=user, organisation=organisation, data=data)


@transaction.atomic
def _save(*, user: object, organisation: Organisation, data: Mapping[str, object]) -> Organisation:
    before = (organisation.academie_id, organisation.academic_region_id, organisation.kind)
    for field in EDITABLE_FIELDS:
        if field in data:
            setattr(organisation, field, data[field])
    organisation.siret = normalize_siret(organisation.siret or "") or None
    _apply_territory(organisation)
    after = (organisation.academie_id, organisation.academic_region_id, organisation.kind)
    # Creating, or moving to another territory or kind, needs rights on the target territory.
    if (organisation.pk is None or after != before) and not can_edit_territory_of(
        reach_of(user), academie_id=after[0], academic_region_id=after[1], kind=after[2]
    ):
        raise PermissionDenied(
            "Vous ne pouvez pas rattacher une organisation de ce type à ce territoire."
        )
    _check_parent(organisation)
    _check_unique_siret(organisation, user=user)
    organisation.search_text = organisation_search_text(organisation)
    organisation.full_clean(validate_unique=False)
    organisation.save()
    return organisation


def _apply_territory(organisation: Organisation) -> None:
    """National bodies have no territory; regional ones a région académique; local ones an
    académie, taken from their commune when one is given."""
    commune = organisation.commune
    commune_academie = commune.departement.academie if commune and commune.departement else None
    if commune and organisation.latitude is None:
        organisation.latitude, organisation.longitude = commune.latitude, commune.longitude
    if commune and not organisation.postal_code:
        organisation.postal_code = commune.postal_code
    level = organisation.level
    if level == OrganisationLevel.NATIONAL:
        organisation.academie = None
        organisation.academic_region = None
    elif level == OrganisationLevel.REGIONAL:
        academie = organisation.academie or commune_academie
        if organisation.academic_region_id is None and academie is not None:
            organisation.academic_region = academie.region
        organisation.academie = None
        if organisation.academic_region_id is None:
            raise ValidationError({"academic_region": "Indiquez la région académique."})
    else:
        organisation.academie = commune_academie or organisation.academie
        if organisation.academie is None:
            raise ValidationError(
                {"commune": "Indiquez la commune (ou l'académie) d'une organisation locale."}
            )
        organisation.academic_region = organisation.academie.region


def _check_parent(organisation: Organisation) -> None:
    parent, seen = organisation.parent, set()
    while parent is not None and parent.pk not in seen:
        if organisation.pk is not None and parent.pk == organisation.pk:
            raise ValidationError(
                {
                    "parent": "Une organisation ne peut pas être rattachée à elle-même "
                    "ni à l'une de ses organisations rattachées."
                }
            )
        seen.add(parent.pk)
        parent = parent.parent


def _check_unique_siret(organisation: Organisation, *, user: object) -> None:
    """A SIRET is unique. The duplicate is named (and linked) only to a user who may read it:
    the refusal must not disclose an organisation outside the user's reach (issue 17)."""
    if not organisation.siret:
        return
    holder = siret_holder(siret=organisation.siret, exclude_pk=organisation.pk)
    if holder is not None:
        raise DuplicateSiretError(
            holder if is_visible_to(reach=reach_of(user), organisation=holder) else None
        )


def organisation_search_text(organisation: Organisation) -> str:
    commune = organisation.commune
    return search_key(
        organisation.name,
        organisation.acronym,
        organisation.siret,
        commune.name if commune else "",
        organisation.postal_code,
    )


@transaction.atomic
def organisation_archive(*, user: object, organisation: Organisation) -> Organisation:
    """Archive rather than delete: conventions and history keep pointing at it."""
    if not can_edit_organisation(reach_of(user), organisation):
        raise PermissionDenied("Vous ne pouvez pas archiver cette organisation.")
    if organisation.archived_at is None:
        organisation.archived_at = timezone.now()
        organisation.save(update_fields=["archived_at", "updated_at"])
    return organisation


@transaction.atomic
def organisation_restore(*, user: object, organisation: Organisation) -> Organisation:
    if not can_edit_organisation(reach_of(user), organisation):
        raise PermissionDenied("Vous ne pouvez pas restaurer cette organisation.")
    if organisation.archived_at is not None:
        organisation.archived_at = None
        organisation.save(update_fields=["archived_at", "updated_at"])
    return organisation
