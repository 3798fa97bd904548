"""allauth adapter: failed-login limits that an attacker cannot turn against other people.

allauth counts failed logins per connecting address and per account. Behind a proxy, or in
an office behind one NAT address, the per-address count is everyone's: ten wrong passwords by
anyone refused every correct login. Here failures are counted

- per (client address, account): ``login_failed`` — one address guessing one account's
  password is stopped after a few tries, and nobody else is affected;
- per account from any address: ``login_failed_account`` — a distributed guess at one
  account is bounded, at a higher number, so a stranger needs many tries to block it (and a
  password reset clears it);
- per client address over all accounts: allauth's ``login`` limit, generous enough for an
  office.

The client address is the proxy's X-Forwarded-For entry (ALLAUTH_TRUSTED_PROXY_COUNT) or a
header the proxy sets (ALLAUTH_TRUSTED_CLIENT_IP_HEADER), configured in settings.

E-mails name the portal and link to SITE_URL whatever Host the request had: without
``django.contrib.sites`` allauth takes the site's name and domain from the request, so a
confirmation e-mail greeted people with "Hello from 127.0.0.1:8200!", and a forged Host
header would put someone else's address in the link, token included.
"""

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import ratelimit

# The internal module: its consume() returns the usage that a correct password rolls back.
from allauth.core.internal import ratelimit as ratelimit_usage
from django.conf import settings
from django.http import HttpRequest
from django.utils.encoding import force_str
from django.utils.translation import gettext


@dataclass(frozen=True, slots=True)
class PortalSite:
    """What allauth's templates read as ``current_site``."""

    name: str
    domain: str


def portal_site() -> PortalSite:
    return PortalSite(name=gettext("Credential Portal"), domain=urlsplit(settings.SITE_URL).netloc)


def on_site_url(url: str) -> str:
    """``url`` with its scheme and host replaced by SITE_URL's."""
    site = urlsplit(settings.SITE_URL)
    parts = urlsplit(url)
    return urlunsplit((site.scheme, site.netloc, parts.path, parts.query, parts.fragment))


class AccountAdapter(DefaultAccountAdapter):
    def format_email_subject(self, subject: str) -> str:
        return f"[{portal_site().name}] {force_str(subject)}"

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        super().send_mail(template_prefix, email, {**context, "current_site": portal_site()})

    def get_email_confirmation_url(self, request: HttpRequest, emailconfirmation: Any) -> str:
        return on_site_url(super().get_email_confirmation_url(request, emailconfirmation))

    def get_reset_password_from_key_url(self, key: str) -> str:
        return on_site_url(super().get_reset_password_from_key_url(key))

    def _login(self, credentials: dict[str, Any]) -> str:
        return str(credentials.get("email", credentials.get("username", ""))).lower()

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        # allauth's key is the account; ours pairs it with the client address.
        address = ratelimit_usage.get_ip(request)
        return f"{address}:{self._account_key(request, **credentials)}"

    def _account_key(self, request: HttpRequest, **credentials: Any) -> str:
        return super()._get_login_attempts_cache_key(request, **credentials)

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        self._login_failed_account_usage = ratelimit_usage.consume(
            request,
            app="allauth.account",
            action="login_failed_account",
            key=self._account_key(request, **credentials),
        )
        if not self._login_failed_account_usage:
            raise self.validation_error("too_many_login_attempts")
        try:
            super().pre_authenticate(request, **credentials)  # per (address, account)
        except Exception:
            self._login_failed_account_usage.rollback()
            raise

    def _rollback_login_failed_rl_usage(self) -> None:
        # A correct password takes back this attempt from both counts.
        super()._rollback_login_failed_rl_usage()
        usage = getattr(self, "_login_failed_account_usage", None)
        if usage:
            usage.rollback()

    def _delete_login_attempts_cached_email(self, request: HttpRequest, **credentials: Any) -> None:
        # After a password reset the account's own count starts again too.
        super()._delete_login_attempts_cached_email(request, **credentials)
        ratelimit.clear(
            request, action="login_failed_account", key=self._account_key(request, **credentials)
        )
