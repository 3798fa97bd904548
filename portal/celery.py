import os
from pathlib import Path

from celery import Celery
from celery.signals import beat_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# portal.statistics is a package inside the portal app, not an app of its own.
app.autodiscover_tasks(["portal.statistics"])


@beat_init.connect
def _create_the_schedule_folder(sender: object = None, **kwargs: object) -> None:
    # Beat keeps its schedule under PORTAL_VAR_DIR, which a fresh deploy has not created:
    # without the folder beat stops at start-up and no sweep ever runs.
    schedule = getattr(sender, "schedule", None) or app.conf.beat_schedule_filename
    Path(schedule).parent.mkdir(parents=True, exist_ok=True)
