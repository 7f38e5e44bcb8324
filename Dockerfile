# syntax=docker/dockerfile:1
# unionportal production image: gunicorn web, Celery worker and beat all run from this image
# (see docker-compose.yml). Build: docker build -t unionportal .
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    UV_NO_CACHE=1 \
    UV_PYTHON_DOWNLOADS=never

# WeasyPrint needs Pango (+ HarfBuzz subsetting, or PDFs with CJK fonts take ~40x longer);
# without a CJK font Chinese prints as empty boxes; gettext provides msgfmt for compilemessages;
# postgresql-client-15 is pg_dump/pg_restore of the db service's version (manage.py backup / restore).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk gettext poppler-utils \
        postgresql-client-15 \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --no-create-home --shell /usr/sbin/nologin app

WORKDIR /app

# Dependencies first, so code changes do not reinstall them. Hashes in the lock are verified.
COPY requirements.lock ./
RUN pip install "uv==0.13.9" \
    && uv pip sync --system requirements.lock

COPY --chown=app:app . .

# Paths the settings read; media is a volume shared by web and worker (docker-compose.yml).
ENV UNIONPORTAL_ENV=production \
    UNIONPORTAL_VAR_DIR=/app/var \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/app/var/media \
    PRIVATE_MEDIA_ROOT=/app/var/private

# Compile translations and collect static files at build time. Production settings refuse to load
# without a secret and a database URL: give them throwaway values on this RUN line only — they are
# not part of the image's environment (no ENV/ARG carries them).
RUN mkdir -p /app/var/media /app/var/private /app/var/backups /app/staticfiles \
    && export SECRET_KEY="build-only-$(python -c 'import secrets; print(secrets.token_urlsafe(48))')" \
              ALLOWED_HOSTS=build.invalid SITE_URL=https://build.invalid \
              DATABASE_URL=postgres://build:build@127.0.0.1:5432/build \
              REDIS_URL=redis://127.0.0.1:6379/0 \
    && if find . -name '*.po' -not -path './var/*' | grep -q .; then \
           python manage.py compilemessages --ignore=var -v 0; \
       fi \
    && python manage.py collectstatic --noinput -v 0 \
    && chown -R app:app /app/var /app/staticfiles

USER app
EXPOSE 8000

ENTRYPOINT ["/app/docker/entrypoint.sh"]
CMD ["gunicorn", "unionportal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--timeout", "120", "--access-logfile", "-"]
