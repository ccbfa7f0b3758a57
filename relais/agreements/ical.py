"""iCalendar (RFC 5545) feed of a user's deadlines and meetings, written by hand: a few
VEVENTs need no library. Lines are folded at 75 octets and text is escaped."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    summary: str
    description: str = ""
    url: str = ""
    day: date | None = None  # all-day event
    starts_at: datetime | None = None  # timed event (aware)
    duration: timedelta = timedelta(hours=2)
    location: str = ""


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> list[str]:
    """Split a content line into chunks of at most 75 octets (continuations start with a
    space), never inside a UTF-8 character."""
    out: list[str] = []
    current = ""
    for char in line:
        limit = 75 if not out else 74
        if len((current + char).encode()) > limit:
            out.append(current)
            current = char
        else:
            current += char
    out.append(current)
    return [out[0]] + [" " + chunk for chunk in out[1:]]


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def build_calendar(events: Iterable[CalendarEvent], *, name: str, now: datetime) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Relais//Echeances et reunions//FR",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape(name)}",
    ]
    for event in events:
        lines += ["BEGIN:VEVENT", f"UID:{event.uid}", f"DTSTAMP:{_utc(now)}"]
        if event.day is not None:
            lines.append(f"DTSTART;VALUE=DATE:{event.day:%Y%m%d}")
            lines.append(f"DTEND;VALUE=DATE:{event.day + timedelta(days=1):%Y%m%d}")
        else:
            starts_at = event.starts_at
            assert starts_at is not None  # an event has a day or a start
            lines.append(f"DTSTART:{_utc(starts_at)}")
            lines.append(f"DTEND:{_utc(starts_at + event.duration)}")
        lines.append(f"SUMMARY:{_escape(event.summary)}")
        if event.description:
            lines.append(f"DESCRIPTION:{_escape(event.description)}")
        if event.location:
            lines.append(f"LOCATION:{_escape(event.location)}")
        if event.url:
            lines.append(f"URL:{event.url}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(chunk + "\r\n" for line in lines for chunk in _fold(line))
