# Ceasefire cycle — one image for web (gunicorn), worker and beat (celery).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=ceasefire.settings

# WeasyPrint's system libraries (Pango, HarfBuzz) and fonts for the worksheet PDFs; the
# PostgreSQL client (pg_dump, pg_restore: 15, as the compose file's server) for backup/restore.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
       libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libfontconfig1 \
       fonts-dejavu-core fonts-liberation2 postgresql-client \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements/base.txt requirements/base.txt
RUN pip install -r requirements/base.txt

COPY . .
RUN SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput \
    && useradd --create-home --uid 10001 ceasefire \
    && mkdir -p /app/media /app/backups \
    && chown -R ceasefire /app/media /app/backups

USER ceasefire
EXPOSE 8000
# The web process only: no migrations here (docker-compose's one-off `migrate` job runs them).
CMD ["gunicorn", "-c", "docker/gunicorn.conf.py", "ceasefire.wsgi:application"]
