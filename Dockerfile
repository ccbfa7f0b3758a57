# Relais — container image for a production deployment (see docs/deploy.md).
# One image, three roles: web (default command), worker, and the release step (migrate).
#   docker build -t relais .
#   docker run --env-file relais.env relais                                   # web
#   docker run --env-file relais.env relais python manage.py procrastinate worker  # jobs
#   docker run --env-file relais.env relais python manage.py migrate --noinput     # release
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    RELAIS_HOST=0.0.0.0 \
    RELAIS_PORT=8000 \
    RELAIS_MEDIA_ROOT=/srv/relais/media

# WeasyPrint (PDF) needs Pango and fonts; pg_dump/pg_restore for backup_db and restore_db.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core fontconfig postgresql-client \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 10001 relais
WORKDIR /app

COPY requirements.txt ./
RUN pip install -r requirements.txt

COPY --chown=relais:relais . .

# Static files are collected at build time (hashed, compressed) and served by WhiteNoise.
# The placeholders below only let Django start; nothing connects to a database here.
RUN DATABASE_URL=postgres://build@localhost/build DJANGO_SECRET_KEY=build-only-placeholder \
    DJANGO_ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput \
    && mkdir -p /srv/relais/media && chown -R relais:relais /srv/relais

USER relais
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --retries=3 \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/sante/', timeout=4)"
CMD ["gunicorn", "--config", "config/gunicorn.py"]
