"""Both catalogues must be complete: a fresh makemessages run over the code finds no
untranslated or fuzzy entry, and the committed .mo files match the .po files."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Every app and what else makemessages reads (tests and bench are left out, as `make messages`).
APPS = ["users", "credentials", "employers", "portal"]
SOURCES = [*APPS, "templates", "static", "manage.py", "locale"]

pytestmark = pytest.mark.skipif(
    shutil.which("xgettext") is None,
    reason="GNU gettext is not installed (apt-get install gettext)",
)


@pytest.fixture(scope="module")
def fresh_catalogues(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The committed catalogues merged with the strings the code uses now."""
    copy = tmp_path_factory.mktemp("i18n")
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.exists():
            shutil.copy(source, copy / name)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "ja", "-l", "en", "--no-obsolete"],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    return copy / "locale"


def problems(po: Path, flag: str) -> str:
    result = subprocess.run(
        ["msgattrib", flag, "--no-obsolete", str(po)], capture_output=True, text=True, check=True
    )
    entries = [
        e
        for e in result.stdout.split("\n\n")
        if "msgid" in e and 'msgid ""\nmsgstr ""\n"Project' not in e
    ]
    return "\n\n".join(entries[:10])


@pytest.mark.parametrize("language", ["ja", "en"])
def test_catalogue_has_no_untranslated_entries(fresh_catalogues: Path, language: str) -> None:
    po = fresh_catalogues / language / "LC_MESSAGES" / "django.po"
    assert problems(po, "--untranslated") == ""


@pytest.mark.parametrize("language", ["ja", "en"])
def test_catalogue_has_no_fuzzy_entries(fresh_catalogues: Path, language: str) -> None:
    po = fresh_catalogues / language / "LC_MESSAGES" / "django.po"
    assert problems(po, "--only-fuzzy") == ""


@pytest.mark.parametrize("language", ["ja", "en"])
def test_compiled_catalogue_is_up_to_date(language: str, tmp_path: Path) -> None:
    po = ROOT / "locale" / language / "LC_MESSAGES" / "django.po"
    mo = po.with_suffix(".mo")
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(fresh), str(po)], check=True)
    assert mo.read_bytes() == fresh.read_bytes(), "run `make messages` and commit the .mo files"
