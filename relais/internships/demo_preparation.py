"""Demo of the preparation of the stage de 3e (Mesure 2), loaded by `load_demo` after the
pôles de stages' demo: in the demo collège, the first 3e class has done two of the four
contents, the others none; another collège of the bassin has prepared all its classes.
So the dashboards show classes leaving without a complete preparation. Idempotent."""

from __future__ import annotations

import datetime

from django.db import transaction

from relais.core import clock
from relais.resources.enums import TOPICS
from relais.users.enums import Role
from relais.users.models import Membership

from .models import InternshipPeriod, PreparationStep
from .selectors import class_preparations, preparation_periods

DOMAIN = "demo.relais.example"


@transaction.atomic
def load() -> str:
    membership = (
        Membership.objects.filter(user__email=f"enseignant@{DOMAIN}", role=Role.TEACHER)
        .select_related("user", "establishment")
        .first()
    )
    if membership is None or membership.establishment is None:
        return ""
    teacher, school = membership.user, membership.establishment
    if school.bassin_id is None:
        return ""
    if PreparationStep.objects.filter(period__establishment__bassin=school.bassin).exists():
        return ""
    today = clock.today()
    periods = preparation_periods(user=teacher).filter(end__gte=today).order_by("start")[:1]
    own = class_preparations(list(periods), outcomes=False)
    others = list(
        InternshipPeriod.objects.filter(
            establishment__bassin_id=school.bassin_id, level="3e", end__gte=today
        )
        .exclude(establishment=school)
        .select_related("establishment")
        .order_by("start", "pk")[:1]
    )
    steps = []
    for index, row in enumerate(own[:1]):
        for topic in TOPICS[:2]:
            steps.append(_step(row, topic, today - datetime.timedelta(days=7 + index), teacher))
    for row in class_preparations(others, outcomes=False):
        steps += [_step(row, topic, today - datetime.timedelta(days=3), None) for topic in TOPICS]
    PreparationStep.objects.bulk_create(steps)
    return f"Préparation au stage de 3e : {len(steps)} contenu(s) marqué(s) fait(s)"


def _step(row, topic, day, user) -> PreparationStep:
    return PreparationStep(
        period=row.period,
        class_label=row.class_label,
        topic=topic,
        done_on=min(day, row.period.end),
        note="Séance de vie de classe (démonstration)",
        done_by=user,
    )
