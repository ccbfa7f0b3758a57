"""One clock: Paris time, whatever the server's zone, and no other « today » in the code."""

import re
from datetime import UTC, date, datetime
from pathlib import Path

import time_machine

from relais.core import clock

ROOT = Path(__file__).resolve().parents[2] / "relais"


def test_today_is_the_day_in_paris_not_on_the_server():
    # 23:30 UTC on 31 December is already 1 January in Paris.
    with time_machine.travel(datetime(2026, 12, 31, 23, 30, tzinfo=UTC), tick=False):
        assert clock.today() == date(2027, 1, 1)
        assert clock.now().hour == 0 and clock.now().utcoffset().total_seconds() == 3600


def test_no_code_reads_the_server_clock():
    """``date.today()`` and naive ``datetime.now()`` give the server's day: use core.clock."""
    pattern = re.compile(r"\bdate\.today\(\)|\bdatetime\.(now|today)\(\s*\)")
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in ROOT.rglob("*.py")
        if "migrations" not in path.parts and path.name != "clock.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if pattern.search(line)
    ]
    assert offenders == []
