"""Permission matrix of the library of kits and resources and of the preparation of the
stage de 3e (issue 15, items 1 and 2): every URL with every role."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from relais.internships.enums import SchoolLevel
from relais.resources import services
from relais.resources.enums import Audience, ResourceKind, Topic
from relais.resources.models import Resource
from tests.documents.pdfs import tiny_pdf
from tests.internships.factories import PeriodFactory
from tests.pupils.factories import PupilFactory
from tests.www.matrix import cases, check_answer, module_fixture, row

# A day after the tests' stage week (2 February 2026): reports may be recorded.
AFTER_STAGE = datetime.datetime(2026, 2, 10, 9, tzinfo=datetime.UTC)

EVERYONE = row(200)
# The home académie's resource: whoever reaches the académie reads it.
READERS = row(200, no_membership=404)
MANAGERS = row(403, no_membership=404, national_admin=200, academie_team=200)
MANAGERS_POST = row(403, no_membership=404, national_admin=302, academie_team=302)
CREATORS = row(403, national_admin=200, academie_team=200)
PUBLIC_LINK = {role: 200 for role in row(200)}
# Preparation: periods are read by the school, its bassin's pôle and référent, the
# académie team and the national team; only the school writes.
PREP_READERS = row(
    404, national_admin=200, academie_team=200, bassin_referent=200, hub_member=200,
    head_of_school=200, teacher=200,
)  # fmt: skip
PREP_WRITERS = row(
    404, national_admin=403, academie_team=403, bassin_referent=403, hub_member=403,
    head_of_school=302, teacher=302,
)  # fmt: skip


def build_library(world):
    w = world
    w.resource = services.resource_create(
        user=w.users["academie_team"],
        resource=Resource(
            title="Kit du tuteur de l'académie", audience=Audience.COMPANIES,
            kind=ResourceKind.TUTOR_KIT, academie=w.home,
        ),
        version=services.VersionData(
            body="Accueillir l'élève une journée dans chaque service.",
            file=SimpleUploadedFile("kit.pdf", tiny_pdf("Kit"), "application/pdf"),
        ),
    )  # fmt: skip
    w.token = services.share_token(w.resource)
    w.period = PeriodFactory(establishment=w.school, level=SchoolLevel.THIRD, class_label="3e B")
    w.pupil = PupilFactory(establishment=w.school, class_label="3e B")
    services.resource_create(
        user=w.users["academie_team"],
        resource=Resource(
            title="Les objectifs du stage", audience=Audience.TEACHERS,
            kind=ResourceKind.PREPARATION, topic=Topic.GOALS, academie=w.home,
        ),
        version=services.VersionData(url="https://eduscol.education.fr/"),
    )  # fmt: skip
    return w


library_once = module_fixture(build_library)


def _prep(w, suffix=""):
    return f"/stages/preparation/{w.period.pk}/3e B/{suffix}"


MATRIX = [
    ("resources:list", lambda w: "/ressources/", "get", EVERYONE),
    ("resources:create", lambda w: "/ressources/nouvelle/", "get", CREATORS),
    ("resources:detail", lambda w: f"/ressources/{w.resource.pk}/", "get", READERS),
    ("resources:version", lambda w: f"/ressources/{w.resource.pk}/versions/1/", "get", READERS),
    ("resources:download", lambda w: f"/ressources/{w.resource.pk}/fichier/", "get", READERS),
    (
        "resources:version_add",
        lambda w: f"/ressources/{w.resource.pk}/nouvelle-version/",
        "get",
        MANAGERS,
    ),
    (
        "resources:archive",
        lambda w: f"/ressources/{w.resource.pk}/archiver/",
        "post",
        MANAGERS_POST,
    ),
    ("resources:shared", lambda w: f"/ressources/partage/{w.token}/", "get", PUBLIC_LINK),
    (
        "resources:shared_download",
        lambda w: f"/ressources/partage/{w.token}/fichier/",
        "get",
        PUBLIC_LINK,
    ),
    ("internships:preparation_list", lambda w: "/stages/preparation/", "get", EVERYONE),
    ("internships:preparation_class", lambda w: _prep(w), "get", PREP_READERS),
    (
        "internships:preparation_step",
        lambda w: _prep(w, "contenus/objectifs/"),
        "post",
        PREP_WRITERS,
    ),
    ("internships:stage_reports", lambda w: _prep(w, "rapports/"), "post", PREP_WRITERS),
]


@pytest.mark.parametrize(("name", "build", "method", "role", "expected"), cases(MATRIX))
def test_resources_matrix(library_once, db, client_for, name, build, method, role, expected):
    with time_machine.travel(AFTER_STAGE, tick=False):
        check_answer(
            client_for(library_once.users[role]), build(library_once), method, role, expected
        )
