"""A convention as it stands: its own text, parties, commitments and clauses with every
avenant in force applied, in the order they came into force.

An avenant's article says what it does (``Article.operation``): it replaces or removes the
article of that number, or adds a new one. Its parties that are not yet parties join (Lille:
« chaque nouvelle signature fera l'objet d'un avenant »), its commitments add to the
convention's, and its ``clause_changes`` override the clauses.

Consolidation is dated: ``consolidate(agreement, on=day)`` applies only the avenants in force
on that day (a party joining by avenant on 15 June 2019 is not a party on 14 June) and drops
the parties whose withdrawal has taken effect (``Party.withdrawn_on``), with their
signatories and commitments. Deadlines use the clauses of every avenant in force
(``consolidated_clauses``): a change of term applies to the whole term.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from relais.core import clock

from . import deadlines
from .enums import AMENDABLE_CLAUSES, AgreementState, ArticleOperation
from .models import Agreement

logger = logging.getLogger(__name__)


@dataclass
class ConsolidatedArticle:
    number: str
    heading: str
    body: str
    source: Agreement  # the convention or the avenant that gives this wording


@dataclass
class Consolidated:
    agreement: Agreement
    avenants: list[Agreement] = field(default_factory=list)
    articles: list[ConsolidatedArticle] = field(default_factory=list)
    parties: list = field(default_factory=list)
    signatories: list = field(default_factory=list)
    commitments: list = field(default_factory=list)
    clauses: dict = field(default_factory=dict)
    on: date | None = None
    withdrawn: list = field(default_factory=list)  # parties withdrawn by that day

    @property
    def is_amended(self) -> bool:
        return bool(self.avenants)


CLAUSE_FIELDS = list(AMENDABLE_CLAUSES)


def applied_avenants(
    agreement: Agreement, avenants: Iterable[Agreement] | None = None, *, on: date | None = None
) -> list[Agreement]:
    """The avenants in force (or ended with the convention) in the order they took effect;
    among ``avenants`` when given (the convention's, read by the caller for many
    conventions at once), otherwise among ``agreement.avenants``. With ``on``: only those
    that had taken effect on that day."""
    if avenants is None:
        if agreement.pk is None:
            return []
        avenants = agreement.avenants.all()
    return sorted(
        (
            avenant
            for avenant in avenants
            if avenant.state
            in (AgreementState.IN_FORCE, AgreementState.EXPIRED, AgreementState.TERMINATED)
            and (on is None or (avenant.start_date is not None and avenant.start_date <= on))
        ),
        key=lambda avenant: (avenant.start_date or date.max, avenant.pk),
    )


def consolidate(agreement: Agreement, *, on: date | None = None) -> Consolidated:
    """The consolidated convention on ``on`` (today by default): the avenants in force that
    day applied, withdrawn parties dropped (expects ``parties``, ``signatories``,
    ``articles``, ``commitments`` and ``avenants`` with the same prefetched for the fewest
    queries)."""
    on = on or clock.today()
    result = Consolidated(agreement=agreement, avenants=applied_avenants(agreement, on=on), on=on)
    articles = {
        article.number: ConsolidatedArticle(
            article.number, article.heading, article.body, agreement
        )
        for article in agreement.articles.all()
    }
    parties = list(agreement.parties.all())
    party_names = {party.name.casefold() for party in parties}
    signatories = list(agreement.signatories.all())
    commitments = list(agreement.commitments.all())
    clauses = {name: getattr(agreement, name) for name in CLAUSE_FIELDS}
    for avenant in result.avenants:
        for article in avenant.articles.all():
            _apply_article(articles, article, avenant)
        for party in avenant.parties.all():
            if party.name.casefold() not in party_names:
                parties.append(party)
                party_names.add(party.name.casefold())
                signatories.extend(s for s in avenant.signatories.all() if s.party_id == party.pk)
        commitments.extend(avenant.commitments.all())
        clauses.update(
            {k: v for k, v in (avenant.clause_changes or {}).items() if k in CLAUSE_FIELDS}
        )
    gone = {p.pk for p in parties if p.withdrawn_on is not None and p.withdrawn_on < on}
    result.withdrawn = [p for p in parties if p.pk in gone]
    result.articles = list(articles.values())
    result.parties = [p for p in parties if p.pk not in gone]
    result.signatories = [s for s in signatories if s.party_id not in gone]
    result.commitments = [c for c in commitments if c.party_id not in gone]
    result.clauses = clauses
    return result


def _apply_article(articles: dict, article, avenant: Agreement) -> None:
    """One article of an avenant on the consolidated articles, as it says: replace, add or
    remove. An article written before the operation was recorded keeps the old reading
    (same number: replaced, unless ``removes``); an « ajoute » never overwrites."""
    operation = article.operation or (
        ArticleOperation.REMOVE if article.removes else ArticleOperation.REPLACE
    )
    if operation == ArticleOperation.REMOVE:
        articles.pop(article.number, None)
        return
    wording = ConsolidatedArticle(article.number, article.heading, article.body, avenant)
    if operation == ArticleOperation.ADD and article.number in articles:
        logger.warning("Avenant %s : l'article %s ajouté existe déjà", avenant.pk, article.number)
        articles[f"{article.number} ({avenant.number})"] = wording
        return
    articles[article.number] = wording


def consolidated_clauses(agreement: Agreement, avenants: Iterable[Agreement] | None = None) -> dict:
    """Only the clauses, with the avenants in force applied (one query, none when
    ``avenants`` is prefetched or given: see ``applied_avenants``)."""
    clauses = {name: getattr(agreement, name) for name in CLAUSE_FIELDS}
    for avenant in applied_avenants(agreement, avenants):
        clauses.update(
            {k: v for k, v in (avenant.clause_changes or {}).items() if k in CLAUSE_FIELDS}
        )
    return clauses


def terms_of(agreement: Agreement, clauses: dict | None = None) -> deadlines.Terms | None:
    """The deadline terms of a convention that has taken effect (None before)."""
    start = agreement.start_date
    if start is None:
        return None
    if clauses is None:
        clauses = consolidated_clauses(agreement)
    return deadlines.Terms(
        start=start,
        duration_months=clauses["duration_months"],
        tacit_renewal=bool(clauses["tacit_renewal"]) and clauses["duration_months"] is not None,
        max_renewals=clauses["max_renewals"] if clauses["tacit_renewal"] else None,
        notice_months=clauses["notice_months"] or 0,
        termination_months=clauses["termination_months"] or 0,
        terminated_on=agreement.terminated_on,
    )


def usable_terms(agreement: Agreement, clauses: dict | None = None) -> deadlines.Terms | None:
    """``terms_of``, or None when the stored dates or clauses make no valid terms.

    The services refuse such dates and clauses (``relais.core.validation``); a row written
    before those checks (an effective date in 9999, a signature in year 218) must not break
    the pages, documents, API answers, lists of deadlines and nightly jobs that show or use
    its dates: they show none for it (as before its entry into force), and the fault is
    logged for the team to correct the row."""
    try:
        return terms_of(agreement, clauses)
    except ValueError as error:
        logger.warning("Convention %s : dates inutilisables (%s)", agreement.pk, error)
        return None


def planned_terms(agreement: Agreement) -> deadlines.Terms | None:
    """Terms as if the convention took effect on its planned date (for drafts: a preview)."""
    start = agreement.start_date or agreement.effective_date
    if start is None:
        return None
    probe = Agreement(**{f: getattr(agreement, f) for f in CLAUSE_FIELDS})
    probe.pk = agreement.pk
    probe.start_date = start
    probe.terminated_on = agreement.terminated_on
    return usable_terms(probe, {name: getattr(agreement, name) for name in CLAUSE_FIELDS})


@dataclass(frozen=True)
class KeyDates:
    """What the pages, documents, exports and the API show about a convention's dates."""

    status: deadlines.Status | None
    period: deadlines.Period | None
    end_of_term: date | None
    next_renewal: date | None
    notice_deadline: date | None
    expiry: date | None
    renewals_done: int


def key_dates(agreement: Agreement, *, on: date, clauses: dict | None = None) -> KeyDates:
    """The dates computed on ``on``; none when the convention has not taken effect or its
    stored dates are unusable (``usable_terms``)."""
    terms = usable_terms(agreement, clauses)
    if terms is None:
        return KeyDates(None, None, None, None, None, None, 0)
    period = deadlines.current_period(terms, on=on)
    return KeyDates(
        status=deadlines.status_on(terms, on=on),
        period=period,
        end_of_term=deadlines.end_of_term(terms, on=on),
        next_renewal=deadlines.next_renewal(terms, on=on),
        notice_deadline=deadlines.notice_deadline(terms, on=on),
        expiry=deadlines.expiry_date(terms),
        renewals_done=period.index if period else 0,
    )
