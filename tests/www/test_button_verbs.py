"""Action buttons carry a verb (issue 14): « Orienter vers le pôle de stages », never the name
of the state it reaches (« Orienté vers le pôle de stages »). No database: the templates and
the workflows' tables are read as they are."""

import re
from pathlib import Path

import pytest

from relais.actions.workflows import OFFER_WORKFLOW as ACTION_OFFER_WORKFLOW
from relais.actions.workflows import REQUEST_WORKFLOW as ACTION_REQUEST_WORKFLOW
from relais.governance.workflows import MEETING_WORKFLOW
from relais.internships.workflows import CASE_MANUAL_STEPS, CASE_WORKFLOW
from relais.juries.workflows import JUROR_WORKFLOW
from relais.training.workflows import ANSWER_WORKFLOW, CHANGE_WORKFLOW

TEMPLATES = Path(__file__).resolve().parents[2] / "relais"
SUBMIT = re.compile(r"<button(?P<attrs>[^>]*)>(?P<text>.*?)</button>", re.S)
# An infinitive, or a reflexive one (« Se connecter »).
INFINITIVE = re.compile(r"^(?:Se |S')?\w+(?:er|ir|re)\b", re.I)


def _verb(text: str) -> bool:
    return bool(INFINITIVE.match(text))


def _literal_submit_buttons():
    """Each submit button whose text starts with a literal word, with its template."""
    for path in sorted(TEMPLATES.rglob("*.html")):
        for match in SUBMIT.finditer(path.read_text(encoding="utf-8")):
            if 'type="button"' in match["attrs"]:
                continue  # a menu's disclosure, « Fermer » of a dialog: not an action
            text = re.sub(r"<[^>]+>|\{%[^%]*%\}", " ", match["text"])
            words = " ".join(text.split())
            if words and not words.startswith("{{"):
                yield path.relative_to(TEMPLATES).as_posix(), words


def test_every_literal_submit_button_starts_with_a_verb():
    nouns = [(path, text) for path, text in _literal_submit_buttons() if not _verb(text)]
    assert nouns == []


def test_the_check_tells_a_verb_from_a_state():
    assert _verb("Orienter vers le pôle de stages") and _verb("Se déconnecter")
    assert _verb("Clore les candidatures") and _verb("Prévoir de nouveau")
    assert not _verb("Orienté vers le pôle de stages") and not _verb("Réalisée")


@pytest.mark.parametrize(
    ("workflow", "names"),
    [
        (CASE_WORKFLOW, CASE_MANUAL_STEPS),
        (ACTION_OFFER_WORKFLOW, None),
        (ACTION_REQUEST_WORKFLOW, None),
        (MEETING_WORKFLOW, None),
        (JUROR_WORKFLOW, None),
        (CHANGE_WORKFLOW, None),
        (ANSWER_WORKFLOW, None),
    ],
)
def test_transitions_shown_as_buttons_are_verbs(workflow, names):
    """The pages render these transitions' labels as buttons ({{ t.label }})."""
    names = names or [t.name for t in workflow.transitions]
    labels = [workflow.transition(name).label for name in names]
    assert [label for label in labels if not _verb(label)] == []
