"""Factories of the library of kits and resources: they walk the real services."""

from relais.resources import services
from relais.resources.enums import Audience, ResourceKind
from relais.resources.models import Resource


def make_resource(user, *, academie=None, body="Le contenu.", url="", **fields) -> Resource:
    fields.setdefault("title", "Kit du tuteur")
    fields.setdefault("audience", Audience.COMPANIES)
    fields.setdefault("kind", ResourceKind.TUTOR_KIT)
    resource = Resource(academie=academie, **fields)
    return services.resource_create(
        user=user, resource=resource, version=services.VersionData(body=body, url=url)
    )
