"""Limits on the upload request itself, before any file reaches the service.

Django's DATA_UPLOAD_MAX_MEMORY_SIZE leaves file parts out, and its default handlers spool a
file of any size to a temporary file; so the view refuses a body that could not be a valid
upload from its Content-Length, and this handler stops taking a file past the per-file cap.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest

# Room for the form fields and the multipart headers of every file.
MULTIPART_SLACK_BYTES = 1_000_000


def max_request_bytes() -> int:
    """The largest upload body that can hold only acceptable files."""
    return (
        settings.CREDENTIAL_MAX_FILES_PER_UPLOAD * settings.CREDENTIAL_MAX_UPLOAD_BYTES
        + MULTIPART_SLACK_BYTES
    )


def declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class CappedFileUploadHandler(FileUploadHandler):
    """Goes first: a file past ``max_file_bytes`` is dropped at the chunk that crosses the
    cap, so the handlers after it (memory, temporary file) never hold more than the cap.
    The names of dropped files stay in ``too_large`` for the view to report."""

    def __init__(self, request: HttpRequest, *, max_file_bytes: int) -> None:
        super().__init__(request)
        self.max_file_bytes = max_file_bytes
        self.too_large: list[str] = []

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > self.max_file_bytes:
            self.too_large.append(str(self.file_name or ""))
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler builds the file
