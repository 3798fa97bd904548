from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from credentials.verification.fetcher import Fetcher, StaticFetcher


@dataclass(frozen=True, slots=True)
class VerificationContext:
    """Everything a verification depends on besides the credential itself."""

    fetcher: Fetcher = field(default_factory=StaticFetcher)
    # The applicant's verified e-mail addresses; empty → the recipient check is not applicable.
    recipient_emails: tuple[str, ...] = ()
    # Issuer ids (URLs or DIDs) on the trusted-issuer registry; informational only.
    trusted_issuers: frozenset[str] = frozenset()
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
