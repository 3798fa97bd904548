"""The production static-files storage collects, and pages render against its manifest.

The rest of the suite swaps in plain storage (tests/conftest.py), so this is the one place
that runs `collectstatic` the way the README's production steps do: DEBUG=false, WhiteNoise's
compressed manifest storage, every reference inside CSS and JS resolved.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def collected(tmp_path_factory: pytest.TempPathFactory) -> Path:
    static_root = tmp_path_factory.mktemp("staticfiles")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "STATIC"))}
    env.update(DEBUG="false", STATIC_ROOT=str(static_root))
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return static_root


def test_collectstatic_with_the_production_storage_hashes_every_file(collected):
    manifest = json.loads((collected / "staticfiles.json").read_text())["paths"]
    sources = {
        str(path.relative_to(ROOT / "static"))
        for path in (ROOT / "static").rglob("*")
        if path.is_file()
    }
    assert sources <= set(manifest)
    chart = collected / manifest["vendor/chartjs/chart.umd.min.js"]
    # The script's source-map reference points at the hashed copy of the map that exists.
    reference = chart.read_text().rsplit("sourceMappingURL=", 1)[1].strip()
    assert reference != "chart.umd.min.js.map"
    assert (chart.parent / reference).is_file()
    # WhiteNoise serves pre-compressed copies.
    assert chart.with_name(chart.name + ".gz").is_file()


@pytest.mark.django_db
def test_pages_render_against_the_production_manifest(client, collected, settings):
    storage = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
    with override_settings(
        STATIC_ROOT=collected, STORAGES={**settings.STORAGES, "staticfiles": storage}
    ):
        response = client.get("/", secure=True)
    assert response.status_code == 200
    manifest = json.loads((collected / "staticfiles.json").read_text())["paths"]
    assert manifest["css/portal.css"] in response.content.decode()
