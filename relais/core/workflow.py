"""One way to write a workflow: every state machine of Relais is declared and fired here.

A workflow is a table of **named transitions** (allowed source states, target state, who may
fire it, a guard) over a model with a ``state`` field, and a **journal** model (a subclass of
``JournalEntry``) whose rows the database refuses to update or delete. Services declare the
table once, next to the model, and fire transitions with ``Workflow.fire``; templates and the
API ask ``Workflow.available(user, obj)`` which transitions to offer, instead of repeating the
table.

``fire`` does, in one transaction: lock the row (``SELECT … FOR UPDATE``: two users cannot
move the same object at once), check that the transition is allowed from the current state,
that this user may fire it, and its guard; set the state; run the transition's effect (other
fields the service changes); save; write the journal line (who, when, from, to, why). Every
refusal is a French message: ``PermissionDenied`` when the user may not, ``ValidationError``
when the object may not.

Example::

    AGREEMENT_WORKFLOW = Workflow(
        model=Agreement,
        journal=AgreementJournal,
        states=AgreementState,
        transitions=[
            Transition("envoi_signature", "Envoyer en signature",
                       sources={AgreementState.DRAFT}, target=AgreementState.IN_SIGNATURE,
                       may_fire=can_manage, guard=missing_signatories),
            ...
        ],
    )
    agreement = AGREEMENT_WORKFLOW.fire(agreement, "envoi_signature", user=user)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import pgtrigger
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction

M = TypeVar("M", bound=models.Model)

# may_fire(user, obj) -> bool ;
# guard(obj, **context) -> None, or the French reason why the object may not move now ;
# effect(obj, user=…, **context) changes other fields of obj before it is saved.
# ``context`` is what the service passes to ``fire`` beyond user, note and data (``today``…).
MayFire = Callable[[Any, Any], bool]
Guard = Callable[..., str | None]
Effect = Callable[..., None]


def anyone(user: Any, obj: Any) -> bool:
    """Transitions fired by the system (jobs) or by whoever reached the service."""
    return True


@dataclass(frozen=True)
class Transition:
    """A named transition: from one of ``sources`` to ``target`` (None keeps the state: a
    step recorded in the journal without changing the state, such as one signature among
    several)."""

    name: str
    label: str
    sources: frozenset[str]
    target: str | None
    may_fire: MayFire = anyone
    guard: Guard | None = None
    effect: Effect | None = None
    refusal: str = "Vous n'avez pas le droit de faire cette action."

    def __init__(
        self,
        name: str,
        label: str,
        *,
        sources: Iterable[str],
        target: str | None,
        may_fire: MayFire = anyone,
        guard: Guard | None = None,
        effect: Effect | None = None,
        refusal: str = "Vous n'avez pas le droit de faire cette action.",
    ) -> None:
        object.__setattr__(self, "name", str(name))
        object.__setattr__(self, "label", label)
        object.__setattr__(self, "sources", frozenset(str(s) for s in sources))
        object.__setattr__(self, "target", None if target is None else str(target))
        object.__setattr__(self, "may_fire", may_fire)
        object.__setattr__(self, "guard", guard)
        object.__setattr__(self, "effect", effect)
        object.__setattr__(self, "refusal", refusal)


@dataclass
class Workflow(Generic[M]):
    """The transitions of ``model`` (its ``state`` field), journaled in ``journal``."""

    model: type[M]
    journal: type[JournalEntry]
    states: type[models.TextChoices]
    transitions: list[Transition]
    subject: str = field(default="")  # the journal's foreign key to the model
    by_name: dict[str, Transition] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.by_name = {}
        state_values = {str(value) for value in self.states.values}
        for item in self.transitions:
            if item.name in self.by_name:
                raise ValueError(f"transition {item.name} declared twice")
            unknown = (item.sources | ({item.target} if item.target else set())) - state_values
            if unknown:
                raise ValueError(f"transition {item.name}: unknown states {sorted(unknown)}")
            self.by_name[item.name] = item
        if not self.subject:
            links = [
                f.name
                for f in self.journal._meta.concrete_fields
                if f.is_relation and f.related_model is self.model
            ]
            if len(links) != 1:
                raise ValueError(f"{self.journal.__name__}: one foreign key to the model needed")
            self.subject = links[0]

    # -- reading --------------------------------------------------------------------------

    def transition(self, name: str) -> Transition:
        try:
            return self.by_name[str(name)]
        except KeyError:
            raise ValidationError(f"Étape inconnue : « {name} ».") from None

    def state_label(self, state: str) -> str:
        return str(self.states(state).label)

    def allowed_from(self, state: str) -> list[Transition]:
        """The transitions the table allows from ``state``, whoever fires them."""
        return [item for item in self.transitions if str(state) in item.sources]

    def available(self, user: Any, obj: M, **context: Any) -> list[Transition]:
        """What ``user`` may fire on ``obj`` now: allowed from its state, permitted to this
        user, guard satisfied. Pages and the API show exactly these actions."""
        return [
            item
            for item in self.allowed_from(obj.state)  # type: ignore[attr-defined]
            if item.may_fire(user, obj) and not (item.guard and item.guard(obj, **context))
        ]

    def names(self, user: Any, obj: M, **context: Any) -> set[str]:
        """The names of ``available``: ``"tenir" in names`` reads well in views."""
        return {item.name for item in self.available(user, obj, **context)}

    def can_fire(self, user: Any, obj: M, name: str, **context: Any) -> bool:
        return str(name) in self.names(user, obj, **context)

    def check(self, user: Any, obj: M, name: str, **context: Any) -> Transition:
        """Raise the French refusal if ``user`` may not fire ``name`` on ``obj`` now."""
        item = self.transition(name)
        state = obj.state  # type: ignore[attr-defined]
        if str(state) not in item.sources:
            raise ValidationError(
                f"Impossible : « {item.label} » n'est pas possible dans l'état "
                f"« {self.state_label(state)} »."
            )
        if not item.may_fire(user, obj):
            raise PermissionDenied(item.refusal)
        if item.guard is not None:
            reason = item.guard(obj, **context)
            if reason:
                raise ValidationError(reason)
        return item

    # -- writing --------------------------------------------------------------------------

    def fire(
        self,
        obj: M,
        name: str,
        *,
        user: Any,
        note: str = "",
        data: dict[str, Any] | None = None,
        **context: Any,
    ) -> M:
        """Fire ``name`` on ``obj`` (see the module's docstring). Returns the object as saved
        (a fresh instance read under the lock)."""
        with transaction.atomic():
            locked = self.model._default_manager.select_for_update().get(pk=obj.pk)
            item = self.check(user, locked, name, **context)
            before = locked.state  # type: ignore[attr-defined]
            if item.target is not None:
                locked.state = item.target  # type: ignore[attr-defined]
            if item.effect is not None:
                item.effect(locked, user=user, **context)
            locked.save()
            self.write_journal(
                locked, transition=item.name, from_state=before, user=user, note=note, data=data
            )
        return locked

    def write_journal(
        self,
        obj: M,
        *,
        transition: str,
        from_state: str,
        user: Any,
        note: str = "",
        data: dict[str, Any] | None = None,
    ) -> JournalEntry:
        return self.journal._default_manager.create(
            **{self.subject: obj},
            transition=transition,
            from_state=from_state or "",
            to_state=obj.state,  # type: ignore[attr-defined]
            by=user if getattr(user, "is_authenticated", False) else None,
            by_name=_person_name(user),
            note=note or "",
            data=data or {},
        )

    def log_creation(
        self, obj: M, *, user: Any, note: str = "", transition: str = "creation"
    ) -> JournalEntry:
        """The first line of an object's journal: created in its initial state (under the
        name of the step that creates it, « creation » unless the workflow names it)."""
        return self.write_journal(obj, transition=transition, from_state="", user=user, note=note)

    def blocked(self, user: Any, obj: M, **context: Any) -> dict[str, str]:
        """The transitions allowed from the object's state and to this user, but refused by
        their guard now: name → the French reason, for a page to say why instead of
        showing a button that would fail."""
        reasons = {}
        for item in self.allowed_from(obj.state):  # type: ignore[attr-defined]
            if item.may_fire(user, obj) and item.guard is not None:
                reason = item.guard(obj, **context)
                if reason:
                    reasons[item.name] = reason
        return reasons


def _person_name(user: Any) -> str:
    """Who fired it, kept as text: the journal keeps the name if the account is deleted."""
    if not getattr(user, "is_authenticated", False):
        return ""
    full_name = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return (full_name or getattr(user, "email", "") or str(user))[:150]


class JournalEntry(models.Model):
    """A line of a workflow's journal. Subclasses add the foreign key to their model.

    The database refuses any UPDATE or DELETE of a journal line (triggers, so not even a
    bulk query or the admin can rewrite history); the one change allowed is ``by`` set to
    NULL when an account is deleted. Where the law requires the trace to outlive its object
    (conventions, designations), the subclass's foreign key is ``PROTECT``: the object cannot
    be deleted while it has a journal. Minors' data is the exception the other way round:
    the purge of a pupil removes its journal inside ``purging_journals()``, on purpose.
    """

    transition = models.CharField("étape", max_length=30)
    from_state = models.CharField("de", max_length=30, blank=True)
    to_state = models.CharField("vers", max_length=30)
    at = models.DateTimeField("le", auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    by_name = models.CharField("par (nom)", max_length=150, blank=True)
    note = models.TextField("motif", blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]
        triggers = [
            # Only one change is allowed: the account is deleted, ``by`` becomes NULL (its
            # name stays in ``by_name``).
            pgtrigger.Protect(
                name="journal_no_update",
                operation=pgtrigger.Update,
                condition=pgtrigger.AnyChange(exclude=["by"]),
            ),
            pgtrigger.Protect(name="journal_no_delete", operation=pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"{self.transition} ({self.at:%d/%m/%Y})"


def purging_journals(*journals: type[JournalEntry]) -> Any:
    """Within this context the DELETE trigger of these journals is off, for this transaction
    only: the legal purge of minors' data (retention period) removes their journals too."""
    return pgtrigger.ignore(*(f"{j._meta.label}:journal_no_delete" for j in journals))
