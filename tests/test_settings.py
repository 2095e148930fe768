"""Settings come from the environment; production settings pass Django's deploy check."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import json, django
django.setup()
from django.conf import settings
db = settings.DATABASES["default"]
print(json.dumps({
    "engine": db["ENGINE"],
    "name": str(db["NAME"]),
    "pool": bool(db.get("OPTIONS", {}).get("pool")),
    "eager": settings.CELERY_TASK_ALWAYS_EAGER,
    "broker": settings.CELERY_BROKER_URL,
    "debug": settings.DEBUG,
    "language": settings.LANGUAGE_CODE,
}))
"""


def _clean_env(**overrides):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.pop("REDIS_URL", None)
    env["DJANGO_SETTINGS_MODULE"] = "aks.settings"
    env.update(overrides)
    return env


def _probe(**overrides):
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=_clean_env(**overrides),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def _production_env(**overrides):
    return _clean_env(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="aks.example.org",
        **overrides,
    )


def test_with_nothing_set_it_runs_on_sqlite_with_eager_tasks_in_german():
    state = _probe()
    assert state["engine"] == "django.db.backends.sqlite3"
    assert state["name"].endswith("var/aks.sqlite3")
    assert state["eager"] is True
    assert state["debug"] is True
    assert state["language"] == "de"


def test_database_url_selects_postgresql_with_a_connection_pool():
    state = _probe(DATABASE_URL="postgres://postgres@127.0.0.1:5432/aks")
    assert state["engine"] == "django.db.backends.postgresql"
    assert state["name"] == "aks"
    assert state["pool"] is True


def test_redis_url_sends_tasks_to_a_broker():
    state = _probe(REDIS_URL="redis://127.0.0.1:6379/0")
    assert state["eager"] is False
    assert state["broker"] == "redis://127.0.0.1:6379/0"


def test_production_refuses_to_start_without_a_secret_key():
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=_clean_env(DJANGO_DEBUG="false", DJANGO_ALLOWED_HOSTS="aks.example.org"),
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_settings_pass_the_deploy_check_without_a_warning():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
