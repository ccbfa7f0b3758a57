"""Reminders sent by the scheduled jobs (relais/networks/tasks.py): mandates ending, campus
labels ending. Each e-mail goes once (notify_once)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from dateutil.relativedelta import relativedelta

from relais.core.notifications import absolute_url, notify_once
from relais.core.school_years import school_year_bounds, school_year_label, school_year_of

from ..models import Campus
from ..selectors import all_mandates, mandates_to_renew
from .common import academie_team_emails

MANDATE_REMINDER_DAYS = (120, 30)  # before the end: prepare the June nominations, then J-30
CAMPUS_REMINDER_MONTHS = (12, 6)


def _threshold(days_left: int, thresholds: Iterable[int]) -> int | None:
    reached = [t for t in thresholds if days_left <= t]
    return min(reached) if reached else None


def send_mandate_reminders(*, today: date) -> int:
    """Before the end of the mandates (J-120 to prepare the June nominations, then J-30),
    send each académie team the list of the people to reappoint or replace, and tell each
    holder that their mandate ends. Each e-mail goes once (notify_once). Returns the number
    of e-mails sent."""

    school_year = school_year_of(today)
    days_left = (school_year_bounds(school_year)[1] - today).days
    threshold = _threshold(days_left, MANDATE_REMINDER_DAYS)
    if threshold is None:
        return 0
    items = mandates_to_renew(queryset=all_mandates(), school_year=school_year)
    by_academie = defaultdict(list)
    for item in items:
        by_academie[item.mandate.club.academie].append(item)
    teams = academie_team_emails(a.pk for a in by_academie)
    sent = 0
    label = school_year_label(school_year)
    for academie, entries in by_academie.items():
        sent += bool(
            notify_once(
                key=f"networks.mandats-a-renouveler:{academie.code}:{school_year}:J-{threshold}",
                recipients=teams.get(academie.pk, []),
                subject=f"Mandats des clubs école-entreprise à renouveler ({label})",
                template="networks/mail/mandates_to_renew.txt",
                context={
                    "academie": academie,
                    "entries": entries,
                    "school_year_label": label,
                    "next_label": school_year_label(school_year + 1),
                    "url": absolute_url(f"/reseaux/mandats/a-renouveler/?annee={school_year}"),
                },
                about=f"networks.academie:{academie.code}",
            )
        )
        for item in entries:
            mandate = item.mandate
            sent += bool(
                notify_once(
                    key=f"networks.mandate:{mandate.pk}:fin",
                    recipients=[mandate.email],
                    subject=f"Votre mandat au {mandate.club.name} se termine le "
                    f"{mandate.ends_on:%d/%m/%Y}",
                    template="networks/mail/mandate_ending.txt",
                    context={"item": item, "mandate": mandate},
                    about=f"networks.mandate:{mandate.pk}",
                )
            )
    return sent


def send_campus_label_reminders(*, today: date) -> int:
    """Twelve and six months before a campus's label ends, remind the académie team (and the
    campus's contact) to prepare its renewal. Each e-mail goes once."""
    horizon = today + relativedelta(months=max(CAMPUS_REMINDER_MONTHS))
    campuses = list(
        Campus.objects.filter(label_ends_on__gte=today, label_ends_on__lte=horizon)
        .select_related("academie")
        .order_by("label_ends_on")
    )
    teams = academie_team_emails(c.academie_id for c in campuses)
    sent = 0
    for campus in campuses:
        months = min(
            m
            for m in CAMPUS_REMINDER_MONTHS
            if campus.label_ends_on <= today + relativedelta(months=m)
        )
        sent += bool(
            notify_once(
                key=f"networks.campus:{campus.pk}:fin-label:{campus.label_ends_on}:{months}m",
                recipients=[*teams.get(campus.academie_id, []), campus.contact_email],
                subject=f"Label du {campus.name} : fin le {campus.label_ends_on:%d/%m/%Y}",
                template="networks/mail/campus_label_ending.txt",
                context={
                    "campus": campus,
                    "months": months,
                    "url": absolute_url(campus.get_absolute_url()),
                },
                about=f"networks.campus:{campus.pk}",
            )
        )
    return sent
