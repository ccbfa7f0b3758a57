"""Where a convention may be declined (issue 11, item 2): a declination lies within its
parent's territory and is narrower than it. A national convention is declined in a région
académique, an académie, a bassin or a school; a région académique's in that région
(an académie, a bassin or a school of it); an académie's in a bassin or a school of that
académie. Pure: reads the territory fields already set on both conventions."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from .enums import AgreementScope

# From the widest to the narrowest.
RANK = {
    AgreementScope.NATIONAL: 0,
    AgreementScope.ACADEMIC_REGION: 1,
    AgreementScope.ACADEMIE: 2,
    AgreementScope.BASSIN: 3,
    AgreementScope.ESTABLISHMENT: 3,
}


def _region_id(agreement) -> int | None:
    if agreement.academic_region_id:
        return agreement.academic_region_id
    return agreement.academie.region_id if agreement.academie_id else None


def check_within_parent(child, parent) -> None:
    """Raise a French ``ValidationError`` unless ``child`` (its scope and territory set)
    lies within ``parent``'s territory and is narrower than it."""
    if RANK[child.scope] <= RANK[parent.scope]:
        raise ValidationError(
            {"scope": "Une déclinaison porte sur un territoire plus restreint que la convention "
                      "déclinée."}
        )  # fmt: skip
    if parent.scope == AgreementScope.ACADEMIC_REGION and _region_id(child) != _region_id(parent):
        raise ValidationError(
            {"scope": f"La déclinaison doit se situer dans la région académique "
                      f"{parent.academic_region}."}
        )  # fmt: skip
    if parent.scope == AgreementScope.ACADEMIE and child.academie_id != parent.academie_id:
        raise ValidationError(
            {"scope": f"La déclinaison doit se situer dans le territoire de la convention "
                      f"déclinée ({parent.academie})."}
        )  # fmt: skip
