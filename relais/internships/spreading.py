"""Spreading the internship weeks of a bassin (Mesure 2: « éviter de concentrer les stages de
3e au même moment de l'année »). Pure Python, no Django: weeks are indices 0..n-1.

Each school period is a block of consecutive weeks holding ``pupils`` pupils. The demand of a
week is the sum of the pupils of the blocks covering it; its shortfall is the demand beyond
the places offered that week. ``suggest_spreading`` moves a few blocks to other weeks,
greedily, each move chosen to lower, in this order:

1. the peak shortfall (the worst week for finding a place);
2. the sum of squared shortfalls (fewer pupils in short weeks, spread out);
3. the peak demand; 4. the sum of squared demands (a flatter calendar).

A block moves at most once, keeps its length, and only to weeks that are all allowed (no
school holidays of the académie's zone, inside the school year). It stops after
``max_moves`` moves or when no move improves the objective. Ties go to the smallest block
key, then to the week nearest the current start, then to the earliest.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Block:
    """A school period: ``start`` index and ``length`` in weeks, ``pupils`` concerned."""

    key: Hashable
    pupils: int
    start: int
    length: int = 1


@dataclass(frozen=True)
class Move:
    key: Hashable
    pupils: int
    start: int
    to: int


@dataclass(frozen=True)
class Spreading:
    moves: tuple[Move, ...]
    demand_before: tuple[int, ...]
    demand_after: tuple[int, ...]
    places: tuple[int, ...]

    @property
    def peak_shortfall_before(self) -> int:
        return _peak_shortfall(self.demand_before, self.places)

    @property
    def peak_shortfall_after(self) -> int:
        return _peak_shortfall(self.demand_after, self.places)

    @property
    def peak_before(self) -> int:
        return max(self.demand_before, default=0)

    @property
    def peak_after(self) -> int:
        return max(self.demand_after, default=0)


def weekly_demand(blocks: Sequence[Block], weeks: int) -> list[int]:
    """Pupils away per week (blocks outside 0..weeks-1 are clipped)."""
    demand = [0] * weeks
    for block in blocks:
        for week in range(max(block.start, 0), min(block.start + block.length, weeks)):
            demand[week] += block.pupils
    return demand


def _peak_shortfall(demand: Sequence[int], places: Sequence[int]) -> int:
    return max((max(0, d - p) for d, p in zip(demand, places, strict=True)), default=0)


def objective(demand: Sequence[int], places: Sequence[int]) -> tuple[int, int, int, int]:
    """The quantity the moves lower, compared as a tuple (see the module docstring)."""
    short = [max(0, d - p) for d, p in zip(demand, places, strict=True)]
    return (
        max(short, default=0),
        sum(s * s for s in short),
        max(demand, default=0),
        sum(d * d for d in demand),
    )


def allowed_starts(length: int, allowed: Sequence[bool]) -> list[int]:
    """Start weeks whose ``length`` weeks are all allowed."""
    n = len(allowed)
    return [s for s in range(n - length + 1) if all(allowed[s : s + length])]


def _shifted(demand: list[int], block: Block, to: int) -> list[int]:
    moved = list(demand)
    for week in range(block.start, block.start + block.length):
        if 0 <= week < len(moved):
            moved[week] -= block.pupils
    for week in range(to, to + block.length):
        moved[week] += block.pupils
    return moved


def suggest_spreading(
    blocks: Sequence[Block],
    places: Sequence[int],
    allowed: Sequence[bool],
    *,
    max_moves: int = 5,
) -> Spreading:
    """Suggested moves of whole school periods that lower the peak (see module docstring)."""
    if len(places) != len(allowed):
        raise ValueError("places and allowed must have one value per week")
    weeks = len(places)
    demand = weekly_demand(blocks, weeks)
    before = tuple(demand)
    current = objective(demand, places)
    moved: set[Hashable] = set()
    moves: list[Move] = []
    starts = {length: allowed_starts(length, allowed) for length in {b.length for b in blocks}}
    order = sorted(blocks, key=lambda b: repr(b.key))
    while len(moves) < max_moves:
        best = None
        for block in order:
            if block.key in moved or block.pupils <= 0:
                continue
            for to in starts[block.length]:
                if to == block.start:
                    continue
                candidate = _shifted(demand, block, to)
                score = objective(candidate, places)
                rank = (score, abs(to - block.start), to)
                if score < current and (best is None or rank < best[0]):
                    best = (rank, block, to, candidate)
        if best is None:
            break
        _, block, to, demand = best
        current = best[0][0]
        moved.add(block.key)
        moves.append(Move(block.key, block.pupils, block.start, to))
    return Spreading(tuple(moves), before, tuple(demand), tuple(places))
