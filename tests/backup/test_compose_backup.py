"""The compose backup service: a worker of its own on the backup queue, with the archive volume (no Docker here)."""

from pathlib import Path

import yaml

from unionportal.celery import app

ROOT = Path(__file__).resolve().parents[2]


def test_the_backup_service_consumes_the_backup_queue_with_its_own_volume():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    service = compose["services"]["backup"]
    assert service["command"][service["command"].index("-Q") + 1] == "backup"
    assert "backups:/app/var/backups" in service["volumes"]
    assert "backups" in compose["volumes"]
    assert service["environment"]["BACKUP_QUEUE"] == "backup"  # beat sends core.backup there
    for name in ("web", "worker", "beat"):
        assert not any(v.startswith("backups:") for v in compose["services"][name].get("volumes", []))
    assert "postgresql-client-15" in (ROOT / "Dockerfile").read_text(encoding="utf-8")


def test_the_backup_task_is_routed_by_the_setting(settings):
    assert settings.CELERY_TASK_ROUTES["core.backup"] == {"queue": "celery"}  # one worker in development
    assert app.amqp.router.route({}, "core.backup")["queue"].name == "celery"
