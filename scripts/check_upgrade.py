"""Prove that a database made by an older commit, with `make run`'s demo data in it, migrates
to this checkout with nothing lost and shows the same pages.

    .venv/bin/python scripts/check_upgrade.py                 # from the commit before issue 12
    .venv/bin/python scripts/check_upgrade.py --from abc1234  # from another commit
    .venv/bin/python scripts/check_upgrade.py --database-url postgres://postgres@127.0.0.1/x

Steps: export the old commit (`git archive`) into a scratch folder; there, migrate a fresh
database (SQLite under the scratch folder, as `make run` uses, unless --database-url names
an empty PostgreSQL database), load the demo data, verify every credential and store its
explanation, then fingerprint every table and render the demo users' pages. Then run this
checkout's `migrate` on the same database, fingerprint and render again, and compare.
Tables that moved are compared under their new names; the only expected differences are
new rows in django_migrations and the relabelled content types. Exits 1 on any difference.
"""

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BEFORE_ISSUE_12 = "053b4ca"  # main just before the users app and TrustedIssuer moves

# old table -> new table, and old content type -> new one
RENAMED_TABLES = {"employers_trustedissuer": "credentials_trustedissuer"}
RELABELLED = {("portal", "user"): ("users", "user"),
              ("employers", "trustedissuer"): ("credentials", "trustedissuer")}  # fmt: skip

# Run inside each tree by `manage.py shell`: every table's row count and a digest of its rows.
FINGERPRINT = """
import hashlib, json
from django.db import connection
out = {}
with connection.cursor() as cursor:
    for table in sorted(connection.introspection.table_names()):
        cursor.execute(f'SELECT * FROM "{table}"')
        rows = sorted(repr(tuple(str(v) for v in row)) for row in cursor.fetchall())
        digest = hashlib.sha256("\\n".join(rows).encode()).hexdigest()
        out[table] = {"rows": len(rows), "sha256": digest}
    cursor.execute("SELECT id, app_label, model FROM django_content_type")
    out["__content_types__"] = sorted(list(row) for row in cursor.fetchall())
print("FINGERPRINT " + json.dumps(out))
"""

# The demo people's pages, as text without tokens that change on every request.
PAGES = """
import json, re
from django.db import transaction
from django.test import Client
from django.contrib.auth import get_user_model
from employers.models import Application
User = get_user_model()
application = Application.objects.order_by("pk").first()
views = [
    ("hanako.yamada@example.jp", "/credentials/"),
    ("hanako.yamada@example.jp", "/employer/my-applications/"),
    ("hr.owner@sakura-trading.example.jp", "/employer/shared/"),
    ("hr.owner@sakura-trading.example.jp", "/employer/"),
    ("hr.owner@sakura-trading.example.jp", f"/employer/candidates/{application.pk}/"),
    ("admin@example.jp", "/statistics/"),
]
out = {}
with transaction.atomic():  # signing in writes sessions and last_login: undo that
    for email, url in views:
        client = Client()
        client.force_login(User.objects.get(email=email))
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        text = response.content.decode()
        text = re.sub(r"(csrfmiddlewaretoken|nonce|csrf-token)[^>]*", "", text)
        text = re.sub(r"<[^>]+>", " ", text)
        out[f"{email} {url}"] = [response.status_code, " ".join(text.split())]
    transaction.set_rollback(True)
print("PAGES " + json.dumps(out, ensure_ascii=False))
"""

# The demo has no trusted issuer; add one so the moved table has a row to keep.
VERIFY_ALL = """
from employers.models import TrustedIssuer
TrustedIssuer.objects.get_or_create(issuer_id="did:web:academy.example.jp", name="Academy")
from credentials.models import Credential, Trigger
from credentials.services import run_verification
for pk in Credential.objects.values_list("pk", flat=True):
    run_verification(credential_id=pk, trigger=Trigger.UPLOAD)
"""


def manage(tree: Path, env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, str(tree / "manage.py"), *args],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        sys.exit(f"{tree.name}: manage.py {' '.join(args[:1])} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def tagged(output: str, tag: str) -> dict:
    line = next(line for line in output.splitlines() if line.startswith(tag + " "))
    return json.loads(line[len(tag) + 1 :])


def renamed(fingerprint: dict) -> dict:
    tables = {RENAMED_TABLES.get(t, t): v for t, v in fingerprint.items() if t[:2] != "__"}
    types = [
        [pk, *RELABELLED.get((app, model), (app, model))]
        for pk, app, model in fingerprint["__content_types__"]
    ]
    tables.pop("django_migrations")
    tables.pop("django_content_type")  # compared through __content_types__
    return {"tables": tables, "content_types": sorted(types)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--from", dest="commit", default=BEFORE_ISSUE_12)
    parser.add_argument("--database-url", help="an empty PostgreSQL database (default SQLite)")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="check-upgrade-") as scratch_dir:
        scratch = Path(scratch_dir)
        old_tree = scratch / "old"
        old_tree.mkdir()
        archive = scratch / "old.tar"
        subprocess.run(
            ["git", "-C", str(ROOT), "archive", "-o", str(archive), options.commit], check=True
        )
        with tarfile.open(archive) as tar:
            tar.extractall(old_tree, filter="data")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("CELERY_", "REDIS"))}
        env.update(DEBUG="true", PORTAL_VAR_DIR=str(scratch / "var"), ALLOWED_HOSTS="testserver")
        env["DATABASE_URL"] = options.database_url or f"sqlite:///{scratch / 'var/portal.sqlite3'}"
        (scratch / "var" / "media").mkdir(parents=True)

        print(f"Old code ({options.commit}): migrate, demo data, verify, explain")
        manage(old_tree, env, "migrate", "--noinput", "-v", "0")
        manage(old_tree, env, "load_demo_data")
        manage(old_tree, env, "shell", "-c", VERIFY_ALL)
        manage(old_tree, env, "refresh_explanations")
        before = tagged(manage(old_tree, env, "shell", "-c", FINGERPRINT), "FINGERPRINT")
        pages_before = tagged(manage(old_tree, env, "shell", "-c", PAGES), "PAGES")

        print("This checkout: migrate")
        print(manage(ROOT, env, "migrate", "--noinput").strip())
        after = tagged(manage(ROOT, env, "shell", "-c", FINGERPRINT), "FINGERPRINT")
        pages_after = tagged(manage(ROOT, env, "shell", "-c", PAGES), "PAGES")

    old, new = renamed(before), renamed(after)
    rows = sum(v["rows"] for v in old["tables"].values())
    problems = [
        f"table {table}: {old['tables'].get(table)} -> {new['tables'].get(table)}"
        for table in sorted(old["tables"].keys() | new["tables"].keys())
        if old["tables"].get(table) != new["tables"].get(table)
    ]
    if old["content_types"] != new["content_types"]:
        problems.append(f"content types: {old['content_types']} -> {new['content_types']}")
    for page, (status, text) in pages_before.items():
        if pages_after.get(page) != [status, text]:
            problems.append(f"page {page} differs:\n  before: {text[:400]}\n  after:  "
                            f"{pages_after.get(page, [None, ''])[1][:400]}")  # fmt: skip
    for page, (status, text) in pages_before.items():
        print(f"page {page}: HTTP {status}, {len(text)} characters of text")
    for problem in problems:
        print("DIFFERENT", problem)
    print(
        f"{len(old['tables'])} tables, {rows} rows, {len(old['content_types'])} content types, "
        f"{len(pages_before)} pages compared: {'all the same' if not problems else 'DIFFERENT'}"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
