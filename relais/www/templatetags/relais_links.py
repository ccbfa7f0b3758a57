"""Links that respect the user's reach: an établissement or an organisation the user cannot
open is written as plain text rather than a link to a 404.

The rules are those of ``Reach.establishments_q`` and ``Reach.organisations_q``, applied to
an object already loaded (no query): ``{% reach_link member.establishment member.label %}``.
"""

from django import template
from django.utils.html import format_html

from relais.establishments.models import Establishment
from relais.organisations.models import Organisation
from relais.users.scopes import Reach, get_reach

register = template.Library()


def establishment_in_reach(reach: Reach, establishment: Establishment) -> bool:
    """Python twin of ``Reach.establishments_q``."""
    if reach.is_empty:
        return False
    if reach.national or reach.all_establishments:
        return True
    return (
        establishment.academie_id in reach.academie_ids
        or establishment.bassin_id in reach.bassin_ids
        or establishment.pk in reach.establishment_ids
    )


def organisation_in_reach(reach: Reach, organisation: Organisation) -> bool:
    """Python twin of ``Reach.organisations_q``."""
    if reach.is_empty:
        return False
    if reach.national or organisation.pk in reach.organisation_ids:
        return True
    if not (reach.directory_academie_ids or reach.directory_region_ids):
        return False
    if organisation.academie_id is not None:
        return organisation.academie_id in reach.directory_academie_ids
    region = organisation.academic_region_id
    return region is None or region in reach.directory_region_ids


def in_reach(reach: Reach, obj) -> bool:
    if isinstance(obj, Establishment):
        return establishment_in_reach(reach, obj)
    if isinstance(obj, Organisation):
        return organisation_in_reach(reach, obj)
    return True


@register.simple_tag(takes_context=True)
def reach_link(context, obj, label=None):
    """``<a href>label</a>`` when the user may open ``obj``, else the label alone."""
    if obj is None:
        return label or ""
    text = label if label not in (None, "") else str(getattr(obj, "name", obj))
    request = context.get("request")
    reach = context.get("reach") or get_reach(getattr(request, "user", None))
    if in_reach(reach, obj):
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), text)
    return format_html("{}", text)
