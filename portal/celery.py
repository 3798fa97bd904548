import os
from pathlib import Path

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# portal.statistics is a package inside the portal app, not an app of its own.
app.autodiscover_tasks(["portal.statistics"])

# Beat keeps its schedule under PORTAL_VAR_DIR (CELERY_BEAT_SCHEDULE_FILENAME), which a fresh
# deploy has not created: without the folder beat stops at start-up and no sweep ever runs.
# Here rather than in a beat signal: beat opens the file before its first signal.
Path(app.conf.beat_schedule_filename).parent.mkdir(parents=True, exist_ok=True)
