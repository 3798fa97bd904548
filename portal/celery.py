import os
from pathlib import Path

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# portal.statistics is a package inside the portal app, not an app of its own.
app.autodiscover_tasks(["portal.statistics"])


@app.on_after_configure.connect
def _create_the_beat_schedule_folder(sender: Celery, **kwargs: object) -> None:
    # Beat keeps its schedule under PORTAL_VAR_DIR (CELERY_BEAT_SCHEDULE_FILENAME), which a
    # fresh deploy has not created: without the folder beat stops at start-up and no sweep
    # ever runs. Beat opens the file before its own signals, so this runs when the
    # configuration is first read (lazily: not at import, so a bad setting is still reported
    # by manage.py in one line).
    Path(sender.conf.beat_schedule_filename).parent.mkdir(parents=True, exist_ok=True)
