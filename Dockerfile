# Gemeinwohl-Plattform: one image for web (gunicorn), worker and beat (Celery).
# Build:  docker build -t gemeinwohl-plattform .
# Run:    see docker-compose.yml
FROM python:3.11-slim

# PYTHONPATH: the app runs from the source tree (templates/, static/, locale/ and
# manage.py live at the repository root), so /app comes before site-packages.
# WEB_CONCURRENCY: gunicorn's worker count when --workers is not given
# (roughly 2 x CPU cores + 1; override with -e WEB_CONCURRENCY=n).
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore \
    PYTHONPATH=/app \
    WEB_CONCURRENCY=3

RUN groupadd --system --gid 1000 app \
    && useradd --system --uid 1000 --gid app --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin app

WORKDIR /app

# WeasyPrint renders PDFs with Pango; DejaVu is the font the PDFs embed.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
       libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

COPY . /app

# Runtime dependencies only (no test extras); psycopg[binary] ships its own libpq.
RUN pip install . \
    && rm -rf build *.egg-info

# Translations: Babel is a dependency, no GNU gettext needed.
RUN pybabel compile --domain django --directory locale

# Static files are collected (and compressed by WhiteNoise) at build time. The
# production settings refuse to load without a secret key and allowed hosts, so
# throwaway values are given to this one command only; they do not end up in the
# image's environment.
RUN DJANGO_DEBUG=false \
    DJANGO_SECRET_KEY=build-time-only-not-a-secret \
    DJANGO_ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --no-input

# The source tree stays read-only for the app user; only var/ (media uploads,
# Celery beat's schedule file) is writable. var/media is created here so a named
# volume mounted on it starts out owned by the app user.
RUN mkdir -p /app/var/media \
    && chown app:app /app/var /app/var/media

USER app

EXPOSE 8000

CMD ["gunicorn", "aks.wsgi:application", "--bind", "0.0.0.0:8000", \
     "--worker-tmp-dir", "/dev/shm", "--access-logfile", "-", "--timeout", "60"]
