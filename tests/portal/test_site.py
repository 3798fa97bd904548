import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "DJANGO_"))}
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.django_db
def test_home_page_renders_in_japanese_by_default(client):
    response = client.get("/", secure=True)
    assert response.status_code == 200
    assert response["Content-Language"] == "ja"
    assert 'lang="ja"' in response.content.decode()


@pytest.mark.django_db
def test_language_switcher_changes_the_page_language(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, secure=True)
    assert response.status_code == 302

    page = client.get("/", secure=True)

    assert page["Content-Language"] == "en"
    assert "Micro-credentials employers can trust and understand" in page.content.decode()


@pytest.mark.django_db
def test_pages_send_a_content_security_policy(client):
    response = client.get("/", secure=True)
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "object-src 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_healthz_is_503_without_a_worker(client):
    response = client.get("/healthz", secure=True)
    assert response.status_code == 503
    body = response.json()
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["workers"]["ok"] is False


def test_production_settings_pass_check_deploy():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={
            "DEBUG": "false",
            "SECRET_KEY": "x" * 30 + "-a-long-random-production-secret-key-0123456789",
            "ALLOWED_HOSTS": "portal.example.jp",
            "DATABASE_URL": "postgres://portal@db.example.jp/portal",
            "CELERY_BROKER_URL": "redis://redis.example.jp:6379/0",
            "REDIS_URL": "redis://redis.example.jp:6379/1",
            "EMAIL_HOST": "smtp.example.jp",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_unreachable_database_gives_one_clear_line():
    result = run_manage(
        "migrate",
        "--check",
        env={"DATABASE_URL": "postgres://nobody@127.0.0.1:1/none", "DEBUG": "true"},
    )
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "Cannot use the database at 127.0.0.1:1/none" in lines[0]


def test_malformed_setting_is_named_in_one_line():
    result = run_manage("check", env={"CREDENTIAL_MAX_UPLOAD_BYTES": "lots"})
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "CREDENTIAL_MAX_UPLOAD_BYTES" in lines[0] or "invalid literal" in lines[0]


@pytest.mark.django_db
def test_two_factor_setup_is_available_to_a_signed_in_user(client, django_user_model):
    from allauth.account.models import EmailAddress

    user = django_user_model.objects.create_user("taro@example.jp", "a-long-demo-password")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.post(
        reverse("account_login"),
        {"login": "taro@example.jp", "password": "a-long-demo-password"},
        secure=True,
    )

    response = client.get(reverse("mfa_index"), secure=True)

    assert response.status_code == 200
    assert reverse("mfa_activate_totp").encode() in response.content


def test_public_host_without_a_secret_key_refuses_to_start():
    result = run_manage(
        "check", env={"DEBUG": "false", "ALLOWED_HOSTS": "portal.example.jp", "SECRET_KEY": ""}
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_demo_data_is_refused_on_a_non_debug_site():
    result = run_manage("load_demo_data", env={"DEBUG": "false"})
    assert result.returncode != 0
    assert "Demo data is for local runs" in result.stderr
