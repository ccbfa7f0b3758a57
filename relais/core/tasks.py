"""Jobs of the outbox (procrastinate; `make run` starts the worker): each calls a plain
service of relais/core/outbox.py, which the tests also call directly."""

from procrastinate import JobContext
from procrastinate.contrib.django import app

from . import outbox


@app.task(name=outbox.DELIVER_EMAIL_TASK, queue="emails")
def deliver_email(notification_id: int) -> str:
    """Right after the transaction that wrote it commits: send this one message."""
    state = outbox.deliver(notification_id)
    return f"Courriel {notification_id} : {state or 'rien à faire'}."


@app.periodic(cron="* * * * *", periodic_id="core-deliver-due")
@app.task(name="core.deliver_due", queue="emails", queueing_lock="core.deliver_due")
def deliver_due(timestamp: int) -> str:
    """Every minute: send what is still due (new messages whose job was lost, retries)."""
    return str(outbox.deliver_due())


# Finished jobs of the « emails » queue kept this long in procrastinate's tables (the
# outbox rows are the journal; the minute sweep alone makes 1,440 jobs a day).
EMAIL_JOBS_KEPT_HOURS = 48


@app.periodic(cron="40 3 * * *", periodic_id="core-purge-email-jobs")
@app.task(
    name="core.purge_email_jobs",
    queue="emails",
    queueing_lock="core.purge_email_jobs",
    pass_context=True,
)
async def purge_email_jobs(context: JobContext, timestamp: int) -> str:
    """Every night: forget the succeeded jobs of the « emails » queue older than 48 hours."""
    await context.app.job_manager.delete_old_jobs(nb_hours=EMAIL_JOBS_KEPT_HOURS, queue="emails")
    return f"Tâches d'envoi terminées depuis plus de {EMAIL_JOBS_KEPT_HOURS} h supprimées."
