"""Issue 14: plain-text e-mails are not HTML-escaped (« d&#x27; » in a mail client)."""

from types import SimpleNamespace

from relais.core.notifications import notify_once, render_plain


def _request(name: str, title: str):
    return SimpleNamespace(
        establishment=SimpleNamespace(name=name), offer=SimpleNamespace(title=title)
    )


def test_a_template_without_autoescape_off_is_not_escaped():
    body = render_plain(
        "actions/mail/request_cancelled.txt",
        {"request": _request("Lycée d'Alzon", "Visite de l'atelier <3>"), "message": "A & B"},
    )
    assert "Lycée d'Alzon a annulé sa demande « Visite de l'atelier <3> »" in body
    assert "A & B" in body
    assert "&#x27;" not in body and "&amp;" not in body and "&lt;" not in body


def test_notify_once_writes_the_plain_text(db):
    notification = notify_once(
        key="test:plain",
        recipients=["a@example.org"],
        subject="Annulation",
        template="actions/mail/request_cancelled.txt",
        context={"request": _request("Collège d'Oc", "L'atelier"), "message": ""},
    )
    assert "Collège d'Oc a annulé sa demande « L'atelier »" in notification.body
