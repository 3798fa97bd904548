from django.db import models


class WorkerHeartbeat(models.Model):
    """The last time each Celery worker said it was alive (for /healthz).

    Written by a periodic task rather than a broadcast ping, because the embedded
    filesystem broker used by `make run` cannot broadcast."""

    hostname = models.CharField(max_length=255, unique=True)
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.hostname} @ {self.seen_at:%H:%M:%S}"
