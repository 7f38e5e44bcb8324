#!/bin/sh
# Container entry point. For the web server (gunicorn) apply migrations and collect static files
# first; the worker and beat containers start after web is healthy, so they never race migrate.
# Any other command (celery, manage.py shell, ...) is run as given.
set -eu

case "${1:-}" in
    gunicorn)
        python manage.py migrate --noinput
        python manage.py collectstatic --noinput -v 0
        ;;
esac

exec "$@"
