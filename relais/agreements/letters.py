"""The notice letter of each ending (non-renewal, termination, breach, mutual agreement, a
party's withdrawal), generated from its journal line: the line is append-only, so the letter
can be produced again at any time, identical. Also the clauses in words for the pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.urls import reverse

from relais.core.dates import format_date as _format_date
from relais.documents.rendering import Rendered, render_pdf

from .enums import PartySide, Transition
from .models import Agreement, AgreementJournal, Party
from .states import state_on
from .wording import duration_words, months_words

LETTER_TRANSITIONS: dict[str, str] = {
    Transition.NON_RENEWAL: "Notification de non-reconduction",
    Transition.TERMINATE: "Notification de résiliation",
    Transition.BREACH: "Mise en demeure et résiliation pour manquement",
    Transition.MUTUAL: "Fin de la convention d'un commun accord",
    Transition.WITHDRAWAL: "Notification de retrait",
}


def format_date(day: date | None) -> str:
    return _format_date(day) if day is not None else ""


def clause_words(agreement: Agreement, clauses: dict) -> dict[str, str]:
    """The term clauses as a page shows them: in words, « aucun » for an empty clause
    (never « 0 mois »)."""
    termination = months_words(clauses["termination_months"])
    breach = clauses.get("breach_months")
    origin = "l'envoi de la lettre" if agreement.termination_from_sending else "la réception"
    return {
        "duration": duration_words(clauses["duration_months"], agreement.duration_unit)
        or "indéterminée",
        "notice": months_words(clauses["notice_months"]) or "aucun",
        "termination": f"{termination} après {origin} de la dénonciation"
        if termination
        else "aucun (effet à la réception)",
        "breach": (
            f"{months_words(breach)} après "
            + ("l'envoi" if agreement.breach_from_sending else "la réception")
            + " de la mise en demeure"
        )
        if breach
        else "",
    }


def entry_into_force_text(agreement: Agreement, *, today: date | None = None) -> str:
    """What the last signature did, said as true today: « en vigueur depuis le … » only once
    that day has come (issue 13: not « depuis le 01/01/2027 » in December 2026)."""
    from relais.core import clock

    today = today or clock.today()
    start = agreement.start_date
    if start is None:
        return ""
    if start > today:
        return (
            "Toutes les signatures sont recueillies : la convention entrera en vigueur le "
            f"{format_date(start)}."
        )
    state = state_on(agreement, on=today)
    if state.code in ("expiree", "terminee"):
        return (
            f"La convention a pris effet le {format_date(start)} ; elle est {state.text.lower()}."
        )
    return f"La convention est en vigueur depuis le {format_date(start)}."


@dataclass(frozen=True)
class Letter:
    entry: AgreementJournal
    title: str
    url: str


def ending_letters(agreement: Agreement, journal=None) -> list[Letter]:
    """The letters of the endings journaled for this convention (the page lists them);
    ``journal``: its lines when the caller has read them."""
    return [
        Letter(
            entry,
            LETTER_TRANSITIONS[entry.transition],
            reverse("agreements:letter", args=[agreement.pk, entry.pk]),
        )
        for entry in (agreement.journal.all() if journal is None else journal)
        if entry.transition in LETTER_TRANSITIONS
    ]


def _day(data: dict, *names: str) -> date | None:
    for name in names:
        if data.get(name):
            return date.fromisoformat(data[name])
    return None


def letter_context(agreement: Agreement, entry: AgreementJournal) -> dict:
    data = entry.data or {}
    parties = list(agreement.parties.all())
    party = next((p for p in parties if p.pk == data.get("party")), None)
    if party is None and data.get("party"):
        party = Party.objects.filter(pk=data["party"]).first()
    sender = party or next((p for p in parties if p.side == PartySide.EDUCATION), None)
    recipients = [p for p in parties if sender is None or p.pk != sender.pk]
    signatory = sender.signatories.first() if sender is not None else None
    counted = data.get("counted_from", "réception")
    return {
        "agreement": agreement,
        "entry": entry,
        "kind": entry.transition,
        "title": LETTER_TRANSITIONS[entry.transition],
        "on": format_date(_day(data, "on", "notice_received_on") or entry.at.date()),
        "last_day": format_date(_day(data, "last_day", "ends_on")),
        "signed_on": format_date(agreement.signed_on),
        "sender": sender,
        "signatory": signatory,
        "recipients": recipients,
        "parties": parties,
        "reason": entry.note,
        "delay": months_words(data.get("delay_months") or data.get("notice_months") or 0),
        "from_sending": counted == "envoi",
        "in_time": data.get("in_time", True),
        "withdrawn": data.get("party_name", ""),
        "place": agreement.signature_place,
    }


def notice_letter_pdf(agreement: Agreement, entry: AgreementJournal) -> Rendered:
    """The letter of one ending, in PDF (A4, the State's header)."""
    context = letter_context(agreement, entry)
    name = f"{agreement.number}-{entry.transition}-{entry.pk}.pdf"
    return render_pdf("agreements/letter.html", context, filename=name)
