"""The production runtime files (Dockerfile, .dockerignore, docker-compose.yml).

There is no Docker engine in CI, so the files are parsed and checked against what
the code expects: the services an operator needs, and an environment that the
settings actually read.
"""

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
SETTINGS_FILE = ROOT / "aks" / "settings.py"

APP_SERVICES = ("web", "worker", "beat")
PRODUCTION_REQUIRED = {"DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"}

# env("NAME", ...), env.bool("NAME", ...), env.db("NAME", ...) and so on.
SETTINGS_ENV_CALL = re.compile(r"""\benv(?:\.\w+)?\(\s*["']([A-Za-z_][A-Za-z0-9_]*)["']""")
# $$ (a literal $), ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?message}
COMPOSE_VARIABLE = re.compile(r"\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}")


# --- helpers --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def services(compose):
    return compose["services"]


@pytest.fixture(scope="module")
def settings_env_names():
    names = set(SETTINGS_ENV_CALL.findall(SETTINGS_FILE.read_text(encoding="utf-8")))
    # Guard against the regex silently matching nothing after a refactoring.
    assert {"DJANGO_DEBUG", "DJANGO_SECRET_KEY", "DATABASE_URL"} <= names
    return names


def command_words(service):
    command = service.get("command", [])
    return shlex.split(command) if isinstance(command, str) else [str(word) for word in command]


def environment(service):
    """The service's environment as a dict, whichever of the two compose forms it uses."""
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, None) for item in env)
    return {name: (None if value is None else str(value)) for name, value in env.items()}


def interpolate(value, variables):
    """Resolve compose's ${...} syntax the way `docker compose` would with ``variables``."""

    def resolve(match):
        if match.group() == "$$":
            return "$"
        name, operator, argument = match.groups()
        current = variables.get(name)
        if operator is None:
            return current or ""
        # ":-" and ":?" treat an empty value like an unset one, "-" and "?" do not.
        missing = not current if operator.startswith(":") else current is None
        if operator.endswith("?"):
            if missing:
                raise LookupError(f"{name} must be set: {argument}")
            return current
        return argument if missing else current

    return COMPOSE_VARIABLE.sub(resolve, value)


def depends_on(service):
    depends = service.get("depends_on") or {}
    if isinstance(depends, list):
        return dict.fromkeys(depends, "service_started")
    return {
        name: (spec or {}).get("condition", "service_started") for name, spec in depends.items()
    }


def healthcheck_words(service):
    test = service["healthcheck"]["test"]
    return shlex.split(test) if isinstance(test, str) else [str(word) for word in test]


def dockerfile_instructions():
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    instructions, current = [], ""
    for line in DOCKERFILE.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            current += stripped[:-1] + " "
            continue
        current += stripped
        keyword, _, arguments = current.partition(" ")
        instructions.append((keyword.upper(), arguments.strip()))
        current = ""
    return instructions


def dockerfile_arguments(keyword):
    return [arguments for found, arguments in dockerfile_instructions() if found == keyword]


def exec_form(arguments):
    return yaml.safe_load(arguments) if arguments.startswith("[") else shlex.split(arguments)


# --- docker-compose.yml ---------------------------------------------------------------


def test_compose_runs_web_worker_beat_db_and_redis(services):
    assert {"web", "worker", "beat", "db", "redis"} <= set(services)


def test_app_services_run_the_image_built_from_the_dockerfile(services):
    for name in APP_SERVICES:
        build = services[name].get("build")
        assert build is not None, f"{name} is not built from the Dockerfile"
        context = build if isinstance(build, str) else build.get("context", ".")
        dockerfile = "Dockerfile" if isinstance(build, str) else build.get("dockerfile")
        assert (COMPOSE_FILE.parent / context).resolve() == ROOT
        assert dockerfile in (None, "Dockerfile")


def test_web_serves_the_wsgi_application_with_gunicorn(services):
    words = command_words(services["web"])
    assert words[0] == "gunicorn"
    assert "aks.wsgi:application" in words
    assert any("0.0.0.0:8000" in word for word in words)


def test_migrations_run_before_web_starts(services):
    web = services["web"]
    if "migrate" in " ".join(command_words(web)):
        return  # migrates in its own start command
    migrators = [
        name
        for name, service in services.items()
        if command_words(service)[-3:] == ["manage.py", "migrate", "--no-input"]
    ]
    assert migrators, "no service runs `manage.py migrate --no-input`"
    conditions = depends_on(web)
    assert any(conditions.get(name) == "service_completed_successfully" for name in migrators)
    for name in migrators:
        assert services[name].get("restart", "no") == "no", "a one-shot migration must not loop"


def test_worker_runs_a_bounded_celery_worker_for_the_aks_app(services):
    words = command_words(services["worker"])
    assert words[:4] == ["celery", "-A", "aks", "worker"]
    options = dict(word.split("=", 1) for word in words if word.startswith("--") and "=" in word)
    assert int(options["--max-memory-per-child"]) > 0
    soft, hard = float(options["--soft-time-limit"]), float(options["--time-limit"])
    assert 0 < soft < hard
    # the worker takes the PDF queue as well as the default one
    assert set(options["--queues"].split(",")) >= {"celery", "render"}


def test_every_task_ends_before_the_broker_would_redeliver_it(services):
    from django.conf import settings

    words = command_words(services["worker"])
    options = dict(word.split("=", 1) for word in words if word.startswith("--") and "=" in word)
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert float(options["--time-limit"]) < visibility
    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 1


def test_beat_runs_celery_beat_as_a_single_replica(services):
    beat = services["beat"]
    assert command_words(beat)[:4] == ["celery", "-A", "aks", "beat"]
    # A second beat would send every periodic task twice.
    assert int((beat.get("deploy") or {}).get("replicas", 1)) <= 1
    assert int(beat.get("scale", 1)) <= 1


def test_db_is_postgres_15_with_a_pg_isready_healthcheck_and_a_named_volume(compose, services):
    db = services["db"]
    assert db["image"].split(":") == ["postgres", "15"]
    assert "pg_isready" in healthcheck_words(db)
    named = set(compose.get("volumes") or {})
    assert any(volume.split(":")[0] in named for volume in db["volumes"])


def test_redis_is_redis_7_with_a_ping_healthcheck(services):
    redis = services["redis"]
    assert redis["image"].split(":") == ["redis", "7"]
    words = healthcheck_words(redis)
    assert "redis-cli" in words
    assert "ping" in words


def test_app_services_wait_for_healthy_db_and_redis(services):
    for name in APP_SERVICES:
        conditions = depends_on(services[name])
        assert conditions.get("db") == "service_healthy", name
        assert conditions.get("redis") == "service_healthy", name


def test_web_healthcheck_asks_healthz_as_if_through_the_tls_proxy(services):
    words = healthcheck_words(services["web"])
    assert words[0] in ("CMD", "CMD-SHELL")
    script = " ".join(words[1:])
    assert "python" in script  # the slim image has no curl
    assert "/healthz" in script
    # With DJANGO_SECURE_SSL_REDIRECT on, a plain request gets a 301 instead of the state.
    redirect = environment(services["web"]).get("DJANGO_SECURE_SSL_REDIRECT", "true")
    assert "X-Forwarded-Proto" in script or interpolate(redirect, {}).lower() == "false"


def test_media_is_kept_in_a_named_volume_at_the_media_root(compose, services):
    named = set(compose.get("volumes") or {})
    web = services["web"]
    media_root = environment(web).get("DJANGO_MEDIA_ROOT", "/app/var/media")
    sources = [
        volume.split(":")[0]
        for volume in web.get("volumes", [])
        if volume.split(":")[1] == media_root
    ]
    assert sources, f"nothing is mounted at the media root {media_root}"
    assert sources[0] in named, "media must outlive the container in a named volume"


def test_compose_sets_only_variables_the_settings_read(services, settings_env_names):
    for name in APP_SERVICES:
        unknown = set(environment(services[name])) - settings_env_names
        assert not unknown, f"{name} sets variables no setting reads: {sorted(unknown)}"


def test_compose_sets_every_variable_production_requires(services, settings_env_names):
    assert settings_env_names >= PRODUCTION_REQUIRED
    for name in APP_SERVICES:
        env = environment(services[name])
        assert not PRODUCTION_REQUIRED - set(env), name
        assert env["DJANGO_DEBUG"].lower() == "false", name
        assert env["REDIS_URL"].startswith("redis://redis:"), name


def test_app_services_share_one_environment(services):
    web = environment(services["web"])
    for name in ("worker", "beat"):
        assert environment(services[name]) == web, name


def test_operator_must_supply_the_secret_key(services):
    for name in APP_SERVICES:
        secret = environment(services[name])["DJANGO_SECRET_KEY"]
        assert re.fullmatch(r"\$\{DJANGO_SECRET_KEY:\?[^}]*\}", secret), name
        with pytest.raises(LookupError):
            interpolate(secret, {})


def test_database_url_matches_the_db_service_credentials(services):
    db = environment(services["db"])
    for name in APP_SERVICES:
        url = urlsplit(environment(services[name])["DATABASE_URL"])
        assert url.scheme in ("postgres", "postgresql", "pgsql")
        assert url.hostname == "db"
        assert (url.port or 5432) == 5432
        assert url.username == db["POSTGRES_USER"]
        assert url.password == db["POSTGRES_PASSWORD"]
        assert url.path.lstrip("/") == db["POSTGRES_DB"]


def test_compose_environment_passes_the_deploy_checks(services, settings_env_names):
    """The settings load in production mode from exactly what compose provides."""
    operator = {"DJANGO_SECRET_KEY": "k3y-" + "x7Q!pZ2m" * 8}
    compose_env = {
        name: interpolate(value, operator) for name, value in environment(services["web"]).items()
    }
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in settings_env_names and name != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    env.update(compose_env)
    env["DJANGO_SETTINGS_MODULE"] = "aks.settings"
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# --- Dockerfile and .dockerignore -------------------------------------------------------


def test_image_builds_on_python_311_slim():
    (base,) = dockerfile_arguments("FROM")
    assert re.fullmatch(r"python:3\.11(\.\d+)?-slim(-\w+)?", base.split()[0])


def test_image_runs_as_a_non_root_user():
    users = dockerfile_arguments("USER")
    assert users, "the image runs as root"
    user = users[-1].split(":")[0]
    assert user not in ("root", "0")
    # The switch comes before the command that starts the app.
    keywords = [keyword for keyword, _ in dockerfile_instructions()]
    assert len(keywords) - 1 - keywords[::-1].index("USER") < keywords.index("CMD")


def test_image_serves_the_wsgi_application_with_gunicorn_on_port_8000():
    (cmd,) = dockerfile_arguments("CMD")
    words = exec_form(cmd)
    assert words[0] == "gunicorn"
    assert "aks.wsgi:application" in words
    assert any("0.0.0.0:8000" in word for word in words)
    assert "8000" in " ".join(dockerfile_arguments("EXPOSE")).split()


def test_image_installs_the_project_without_test_extras():
    runs = " ".join(dockerfile_arguments("RUN"))
    assert re.search(r"pip install (\S+ )*\.(\s|$)", runs)
    assert "[test]" not in runs


def test_image_runs_the_app_from_the_source_tree():
    # The installed wheel holds the packages but not templates/, static/, locale/,
    # manage.py or the apps' template folders, so the source tree must win imports.
    (workdir,) = dockerfile_arguments("WORKDIR")
    assert any(exec_form(copy)[0] == "." for copy in dockerfile_arguments("COPY"))
    env = " ".join(dockerfile_arguments("ENV"))
    assert re.search(rf"PYTHONPATH=\S*{re.escape(workdir)}(:|\s|$)", env)


def test_image_compiles_translations_and_collects_static_files():
    runs = dockerfile_arguments("RUN")
    assert any("pybabel compile --domain django --directory locale" in run for run in runs)
    (collect,) = [run for run in runs if "collectstatic" in run]
    assert "--no-input" in collect
    assert "DJANGO_DEBUG=false" in collect  # collected for the production storage


def test_image_does_not_bake_in_a_secret_key():
    for keyword in ("ENV", "ARG"):
        for arguments in dockerfile_arguments(keyword):
            assert "DJANGO_SECRET_KEY" not in arguments


def test_image_downloads_nothing_from_a_cdn():
    for keyword, arguments in dockerfile_instructions():
        assert not re.search(r"https?://", arguments), f"{keyword} {arguments}"
        assert not re.search(r"\b(curl|wget|npm|npx|yarn)\b", arguments), f"{keyword} {arguments}"


def test_build_context_leaves_out_local_state_and_secrets():
    patterns = {
        line.strip().strip("/")
        for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert {".venv", "var", ".git", "node_modules", ".env"} <= patterns
    assert any("__pycache__" in pattern for pattern in patterns)


# --- make run -------------------------------------------------------------------------


def make_run_commands(*arguments, **environment_overrides):
    """The commands `make run` would execute (dry run), as a list of lines."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"SITE_URL", "HOST", "PORT", "MAKEFLAGS", "MFLAGS", "MAKELEVEL"}
    }
    env.update(environment_overrides)
    result = subprocess.run(
        ["make", "--no-print-directory", "-n", "-C", str(ROOT), "run", *arguments],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return result.stdout.splitlines()


def site_url_of(command):
    match = re.search(r"\bSITE_URL=(\S+)", command)
    assert match, command
    return shlex.split(match.group(1))[0]


def test_make_run_points_mail_links_at_the_port_it_serves():
    commands = make_run_commands("PORT=8123")
    (runserver,) = [command for command in commands if "manage.py runserver" in command]
    assert runserver.rstrip().endswith("runserver 127.0.0.1:8123")
    assert site_url_of(runserver) == "http://127.0.0.1:8123"
    (seed,) = [command for command in commands if "manage.py seed_demo" in command]
    assert site_url_of(seed) == "http://127.0.0.1:8123"


def test_make_run_keeps_a_site_url_that_is_set():
    commands = make_run_commands("PORT=8123", SITE_URL="https://demo.example.org")
    (runserver,) = [command for command in commands if "manage.py runserver" in command]
    assert site_url_of(runserver) == "https://demo.example.org"


def test_readme_documents_the_port_and_host_of_make_run():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make run PORT=8080" in readme
    assert "HOST=" in readme
