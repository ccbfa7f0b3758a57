"""Governance objects for the tests, built on plain ORM rows (conventions in force without
walking their signature, which tests/agreements covers)."""

from datetime import date, datetime, time
from itertools import count

from django.utils import timezone

from relais.agreements.models import Agreement, Commitment, Party
from relais.governance.enums import BodyKind, MeetingState, MemberRole
from relais.governance.models import ActionItem, Body, BodyMember, Meeting

_numbers = count(1)


def agreement(academie, *, state="en_vigueur", start=date(2023, 9, 1), title=None, **fields):
    """An académie convention; in force since ``start`` unless ``state`` says otherwise."""
    number = next(_numbers)
    signed = state not in ("brouillon", "en_signature", "abandonnee")
    values = {
        "number": f"GOV-{number:04d}",
        "title": title or f"Convention de gouvernance {number}",
        "kind": "cadre",
        "scope": "academie",
        "academie": academie,
        "state": state,
        "signed_on": start if signed else None,
        "start_date": start if signed else None,
        "duration_months": 36,
    } | fields
    return Agreement.objects.create(**values)


def commitment(agreement_, *, description="Mobiliser des conseillers entreprises", quantity=10):
    party = agreement_.parties.first() or Party.objects.create(
        agreement=agreement_, name="Union des entreprises", side="economique"
    )
    return Commitment.objects.create(
        agreement=agreement_,
        party=party,
        category="cee",
        description=description,
        quantity=quantity,
        unit="conseillers",
    )


def body(agreement_=None, *, club=None, kind=BodyKind.STEERING, name=None, minimum=1, months=()):
    owner = agreement_ if agreement_ is not None else club
    return Body.objects.create(
        name=name or f"Comité de pilotage — {owner}",
        kind=kind,
        agreement=agreement_,
        club=club,
        academie=owner.academie,
        min_meetings_per_year=minimum,
        required_months=list(months),
        rule_text="Il se réunit a minima une fois par an.",
    )


def member(body_, *, name="Claire Martin", email="claire.martin@example.org", **fields):
    return BodyMember.objects.create(
        body=body_,
        full_name=name,
        email=email,
        role=fields.pop("role", MemberRole.MEMBER),
        **fields,
    )


def at(day: date, hour: int = 14) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def meeting(body_, day: date, *, state=MeetingState.PLANNED, **fields):
    return Meeting.objects.create(body=body_, starts_at=at(day), state=state, **fields)


def action_item(
    meeting_, *, due=None, owner_email="", done_on=None, description="Préparer le bilan"
):
    return ActionItem.objects.create(
        meeting=meeting_,
        description=description,
        owner="Paul Durand",
        owner_email=owner_email,
        due_date=due,
        done_on=done_on,
    )
