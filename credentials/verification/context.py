from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from credentials.verification.contexts import BUNDLED, ContextLoader
from credentials.verification.fetcher import Fetcher
from credentials.verification.registry import IssuerRegistry


@dataclass(frozen=True, slots=True)
class VerificationContext:
    """Everything a verification depends on besides the credential itself."""

    # The only way to the network (production: ``SafeFetcher.from_settings()``).
    fetcher: Fetcher
    # The applicant's verified e-mail addresses; empty → the recipient check is not applicable.
    recipient_emails: tuple[str, ...] = ()
    # The trusted-issuer registry the portal uses (informational only); None → it uses none.
    issuer_registry: IssuerRegistry | None = None
    # The JSON-LD contexts proofs may be canonicalised with (the bundled files).
    contexts: ContextLoader = BUNDLED
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
