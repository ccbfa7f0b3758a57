"""What the conventions' services compute from a convention (number, consolidated
clauses, dates, frozen version, full-text index) and the bulk writing of every row."""

from __future__ import annotations

import datetime

from .common import bulk


def journal_model():
    """The conventions' journal model, and whether it opens with a « creation » line
    (``AgreementJournal`` on ``core.workflow``; ``TransitionLog`` before it)."""
    from relais.agreements import models

    if hasattr(models, "AgreementJournal"):
        return models.AgreementJournal, True
    return models.TransitionLog, False


class AgreementRows:
    """Mixin of ``AgreementFactory``: derived values and writing."""

    def clauses(self, agreement) -> dict:
        """Consolidated clauses: the convention's, then its avenants in force in order."""
        from relais.agreements.consolidation import CLAUSE_FIELDS
        from relais.agreements.enums import AgreementState

        clauses = {name: getattr(agreement, name) for name in CLAUSE_FIELDS}
        avenants = sorted(
            (
                a
                for a in getattr(agreement, "_bench_avenants", [])
                if a.state
                in (AgreementState.IN_FORCE, AgreementState.EXPIRED, AgreementState.TERMINATED)
            ),
            key=lambda a: (a.start_date or datetime.date.max, a.pk),
        )
        for avenant in avenants:
            clauses.update(avenant.clause_changes or {})
        return clauses

    @staticmethod
    def number(agreement) -> str:
        from relais.agreements.enums import AgreementKind
        from relais.agreements.services import NUMBER_PREFIX

        prefix = NUMBER_PREFIX[AgreementKind(agreement.kind)]
        return f"{prefix}-{agreement.created_at.year}-{agreement.pk:05d}"

    def finish(self) -> None:
        """Numbers, computed dates (the real ``key_dates``), versions' content."""
        from relais.agreements.consolidation import key_dates

        today = self.ctx.today
        for agreement in self.agreements:
            agreement.number = self.number(agreement)
        for agreement in self.agreements:
            if agreement.start_date is not None:
                dates = key_dates(agreement, on=today, clauses=self.clauses(agreement))
                agreement.current_start = dates.period.start if dates.period else None
                agreement.current_end = dates.end_of_term
                agreement.next_notice_deadline = dates.notice_deadline
        by_pk = {a.pk: a for a in self.agreements}
        for version in self.versions:
            version.content = self.snapshot(by_pk[version.agreement.pk])

    def snapshot(self, agreement) -> dict:
        """The content of ``services._snapshot``, from the rows in memory."""
        parts = self.parts[agreement.pk]
        clause_names = (
            "duration_months",
            "tacit_renewal",
            "max_renewals",
            "notice_months",
            "termination_months",
            "dispute_clause",
            "competent_court",
            "confidentiality_clause",
            "open_to_new_signatories",
            "clause_changes",
        )
        return {
            "number": agreement.number,
            "title": agreement.title,
            "kind": agreement.kind,
            "scope": agreement.scope,
            "territory": agreement.territory_label,
            "legal_basis": agreement.legal_basis,
            "preamble": agreement.preamble,
            "articles": [
                {"number": a.number, "heading": a.heading, "body": a.body, "removes": a.removes}
                for a in parts["articles"]
            ],
            "parties": [
                {
                    "name": p.name,
                    "short_name": p.short_name,
                    "side": p.side,
                    "represented_by": p.represented_by,
                    "organisation_id": p.organisation_id,
                }
                for p in parts["parties"]
            ],
            "signatories": [
                {"party": s.party.name, "full_name": s.full_name, "title": s.title}
                for s in parts["signatories"]
            ],
            "commitments": [
                {
                    "party": c.party.name,
                    "category": c.category,
                    "description": c.description,
                    "quantity": c.quantity,
                    "unit": c.unit,
                    "due_date": None,
                }
                for c in parts["commitments"]
            ],
            "clauses": {name: getattr(agreement, name) for name in clause_names}
            | {
                "effective_date": agreement.effective_date.isoformat()
                if agreement.effective_date
                else None
            },
        }

    def search_text(self, agreement) -> str:
        """What ``services.refresh_search`` indexes."""
        from relais.core.text import search_key

        parts = self.parts[agreement.pk]
        texts = [agreement.number, agreement.title, agreement.preamble, agreement.legal_basis]
        texts += [f"{a.number} {a.heading} {a.body}" for a in parts["articles"]]
        texts += [f"{p.name} {p.short_name}" for p in parts["parties"]]
        texts += [f"{s.full_name} {s.title}" for s in parts["signatories"]]
        if agreement.amends is not None:
            texts.append(agreement.amends.title)
        return search_key(*texts)

    def write(self) -> None:
        from django.db import connection

        from relais.agreements.models import (
            Agreement,
            AgreementVersion,
            Article,
            Commitment,
            Party,
            Signatory,
        )

        # Parents and replaced conventions first (they are referenced by pk).
        order = sorted(self.agreements, key=lambda a: (a.amends_id is not None, a.pk))
        bulk(Agreement, order, "conventions et avenants")
        bulk(Party, self.parties, "parties")
        bulk(Signatory, self.signatories, "signataires")
        bulk(Article, self.articles, "articles")
        bulk(Commitment, self.commitments)
        bulk(AgreementVersion, self.versions)
        journal, with_creation = journal_model()
        names = {f.name for f in journal._meta.concrete_fields}
        by = {"by": self.ctx.daet} | (
            {"by_name": self.ctx.daet.get_full_name()} if "by_name" in names else {}
        )
        lines = []
        for a, t, f, to, at, note, data in self.journal:
            lines.append(
                journal(agreement=a, transition=t, from_state=f, to_state=to, at=at, note=note,
                        data=data() if callable(data) else data or {}, **by)
            )  # fmt: skip
        if with_creation:  # core.workflow's journal opens with the creation of the draft
            lines += [
                journal(agreement=a, transition="creation", from_state="", to_state="brouillon",
                        at=a.created_at, **by)
                for a in self.agreements
            ]  # fmt: skip
        bulk(journal, lines, "journal des conventions")
        # The full-text index, as services.refresh_search computes it (French configuration).
        with connection.cursor() as cursor:
            for start in range(0, len(self.agreements), 500):
                chunk = self.agreements[start : start + 500]
                cursor.execute(
                    "UPDATE agreements_agreement AS a SET search_vector = "
                    "to_tsvector('french'::regconfig, v.text) "
                    "FROM unnest(%s::bigint[], %s::text[]) AS v(id, text) WHERE a.id = v.id",
                    [[a.pk for a in chunk], [self.search_text(a) for a in chunk]],
                )
