"""Jobs of the outbox (procrastinate; `make run` starts the worker): each calls a plain
service of relais/core/outbox.py, which the tests also call directly."""

from procrastinate.contrib.django import app

from . import outbox


@app.task(name="core.deliver_email", queue="emails")
def deliver_email(notification_id: int) -> str:
    """Right after the transaction that wrote it commits: send this one message."""
    state = outbox.deliver(notification_id)
    return f"Courriel {notification_id} : {state or 'rien à faire'}."


@app.periodic(cron="* * * * *", periodic_id="core-deliver-due")
@app.task(name="core.deliver_due", queue="emails", queueing_lock="core.deliver_due")
def deliver_due(timestamp: int) -> str:
    """Every minute: send what is still due (new messages whose job was lost, retries)."""
    return str(outbox.deliver_due())
