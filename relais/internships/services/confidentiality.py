"""The confidentiality undertaking of a pupil on a stage (CPME Île-de-France text, art. 3.2:
« Les stagiaires […] seront, en permanence, tenus au secret professionnel »): printed in the
convention de stage (its article 10), signed by the pupil and their legal guardians with it,
and recorded by the school once the signed convention is back."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from relais.core import confidentiality
from relais.pupils.perms import is_school_of
from relais.users.types import AnyUser

from ..models import Placement


@transaction.atomic
def placement_confidentiality_record(*, user: AnyUser, placement: Placement) -> Placement:
    """The pupil's school records that the pupil and their legal guardians signed the
    undertaking of the convention (the current text's version, when, by whom). Once: a
    second record is refused, the first one stays as it was."""
    if not is_school_of(user, placement.case.pupil.establishment_id):
        raise PermissionDenied("Seul l'établissement de l'élève enregistre son engagement.")
    locked = Placement.objects.select_for_update().get(pk=placement.pk)
    if locked.confidentiality_acknowledged_at is not None:
        raise ValidationError(
            "L'engagement de confidentialité est déjà enregistré depuis le "
            f"{timezone.localtime(locked.confidentiality_acknowledged_at):%d/%m/%Y}."
        )
    locked.confidentiality_version = confidentiality.VERSION
    locked.confidentiality_acknowledged_at = timezone.now()
    locked.confidentiality_recorded_by = user if user.is_authenticated else None
    locked.save(
        update_fields=[
            "confidentiality_version",
            "confidentiality_acknowledged_at",
            "confidentiality_recorded_by",
        ]
    )
    return locked
