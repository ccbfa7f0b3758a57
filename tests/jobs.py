"""Run the real procrastinate worker once, as `./manage.py procrastinate worker` does: with
its own psycopg connection (the Django connector only defers jobs). The test must use
``@pytest.mark.django_db(transaction=True)`` so that the worker sees committed rows."""

from procrastinate.contrib.django import app


def run_worker_once(queues=None) -> None:
    """Process every job waiting now, then return."""
    with app.replace_connector(app.connector.get_worker_connector()) as worker_app:
        worker_app.run_worker(
            queues=queues, wait=False, install_signal_handlers=False, listen_notify=False
        )


def job_status(job_id: int) -> str:
    """« succeeded », « failed »… of the job ``task.defer()`` returned. (Jobs of earlier
    runs stay in procrastinate's tables, which Django does not flush: always look up by id.)"""
    return app.job_manager.list_jobs(id=job_id)[0].status
