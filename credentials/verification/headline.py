"""The four answers in words: one headline and four chips, in the reader's language.

The headline states every answer that failed or is unconfirmed, in whole translated
sentences (Japanese word order differs, so no sentence is stitched from fragments). The
words 本物 / "genuine" are used only when the credential is intact *and* its issuer's
identity is confirmed (``Answers.is_genuine``). Dates are written in the language's one
date format (``DATE_FORMAT``: 2025年6月30日, June 30, 2025).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import formats
from django.utils.translation import get_language, gettext, pgettext

from credentials.verification.answers import (
    Answers,
    Currency,
    IdentityBasis,
    Intact,
    IssuerIdentity,
    Recipient,
)
from credentials.vocabulary import Status


@dataclass(frozen=True, slots=True)
class Chip:
    question: str  # "intact", "issuer_identity", "recipient", "current"
    label: str  # the question, translated ("Issuer identity")
    value: str  # the answer, translated ("Not confirmed (self-asserted)")
    tone: str  # "ok", "bad", "warn" or "unknown": the chip's colour


@dataclass(frozen=True, slots=True)
class AnswersView:
    """What ``templates/credentials/_answers.html`` shows for one credential."""

    status: str
    headline: str
    chips: tuple[Chip, ...]
    is_genuine: bool
    # The content (level, hours, outcomes) cannot be trusted: show it greyed, with a banner.
    untrusted_content: bool
    # Not checked yet, or nothing readable: no chips to show.
    has_answers: bool


def display_date(value: str | None) -> str:
    """``2025-06-30`` in the active language's date format; "" when there is none."""
    if not value:
        return ""
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return ""
    return formats.date_format(day, "DATE_FORMAT")


def _join(sentences: list[str]) -> str:
    # Japanese sentences end in 「。」 and follow each other without a space.
    separator = "" if (get_language() or "").startswith("ja") else " "
    return separator.join(s for s in sentences if s)


def headline(answers: Answers, *, status: str) -> str:
    """Every answer that failed or is unconfirmed (and the ones that passed, briefly)."""
    if status == Status.PENDING:
        return gettext("The portal has not checked this credential yet.")
    if status == Status.MALFORMED and answers.intact == Intact.UNKNOWN:
        return gettext("This file is not a credential the portal can read.")
    sentences = [_intact_sentence(answers), _identity_sentence(answers)]
    if status == Status.MALFORMED:
        # Readable and checked, but its structure breaks its standard (no recipient, say).
        sentences.insert(
            0,
            gettext(
                "Its structure does not follow its standard, so it is not counted as verified."
            ),
        )
    if answers.intact == Intact.NO:
        if answers.recipient == Recipient.NONE_NAMED:
            sentences.append(_recipient_sentence(answers))
        sentences.append(
            gettext(
                "Because its content cannot be trusted, its recipient and dates were not checked."
            )
        )
    else:
        sentences.extend(_recipient_and_current(answers))
    if status == Status.UNVERIFIABLE:
        sentences.append(gettext("The portal will try again later."))
    return _join(sentences)


def _intact_sentence(answers: Answers) -> str:
    if answers.is_genuine:
        return gettext("Genuine: signed by its issuer and unchanged.")
    if answers.intact == Intact.YES:
        return gettext("The signature is valid and the content is unchanged.")
    if answers.intact == Intact.NO:
        return gettext(
            "It has been altered or was not validly signed, so its content cannot be trusted."
        )
    return gettext("Its signature could not be checked yet.")


def _identity_sentence(answers: Answers) -> str:
    identity, basis = answers.issuer_identity, answers.issuer_identity_basis
    source = answers.issuer_identity_source or ""
    if identity == IssuerIdentity.CONFIRMED and basis == IdentityBasis.REGISTRY:
        return gettext("The issuer is listed in the registry “%(registry)s”.") % {
            "registry": source
        }
    if identity == IssuerIdentity.CONFIRMED:
        return gettext("The issuer's key is published on its own domain, %(domain)s.") % {
            "domain": source
        }
    if identity == IssuerIdentity.NOT_CONFIRMED and basis == IdentityBasis.SELF_ASSERTED:
        return gettext(
            "The issuer's identity is not confirmed: its key is tied to no registry and no "
            "domain, so anyone could have made it under this name."
        )
    if identity == IssuerIdentity.NOT_CONFIRMED and answers.intact == Intact.YES:
        return gettext(
            "The issuer's identity is not confirmed: the key that signed it is not shown to "
            "belong to the issuer it names."
        )
    if identity == IssuerIdentity.NOT_CONFIRMED:
        return gettext("The issuer's identity is not confirmed.")
    if answers.intact == Intact.UNKNOWN:
        return ""  # "its signature could not be checked" already says it
    return gettext("The issuer's identity could not be checked yet.")


def _recipient_sentence(answers: Answers) -> str:
    return {
        Recipient.APPLICANT: gettext("Issued to this applicant."),
        Recipient.WALLET_HOLDER: gettext(
            "Issued to this applicant, who proved it with their wallet."
        ),
        Recipient.SOMEONE_ELSE: gettext("Issued to someone else."),
        Recipient.NONE_NAMED: gettext(
            "It names no recipient, so it cannot be tied to this applicant."
        ),
        Recipient.NOT_CHECKED: gettext("Whether it was issued to this applicant was not checked."),
    }[answers.recipient]


def _current_sentence(answers: Answers) -> str:
    day = display_date(answers.current_date)
    if answers.current == Currency.CURRENT:
        if day:
            return gettext("Valid until %(date)s and not revoked.") % {"date": day}
        return gettext("Current and not revoked.")
    if answers.current == Currency.EXPIRED:
        if day:
            return gettext("It expired on %(date)s.") % {"date": day}
        return gettext("It has expired.")
    if answers.current == Currency.NOT_YET_VALID:
        if day:
            return gettext("It is not valid until %(date)s.") % {"date": day}
        return gettext("It is not valid yet.")
    if answers.current == Currency.REVOKED:
        return gettext("The issuer has revoked it.")
    return gettext("Whether it is current or revoked could not be checked.")


def _recipient_and_current(answers: Answers) -> list[str]:
    day = display_date(answers.current_date)
    if answers.recipient == Recipient.SOMEONE_ELSE and answers.current == Currency.EXPIRED and day:
        # The two problems HR most often meets together, said in one breath.
        return [gettext("It was issued to someone else and expired on %(date)s.") % {"date": day}]
    if answers.recipient == Recipient.SOMEONE_ELSE and answers.current == Currency.REVOKED:
        return [gettext("It was issued to someone else and the issuer has revoked it.")]
    return [_recipient_sentence(answers), _current_sentence(answers)]


def chips(answers: Answers) -> tuple[Chip, ...]:
    return (
        _intact_chip(answers),
        _identity_chip(answers),
        _recipient_chip(answers),
        _current_chip(answers),
    )


def _intact_chip(answers: Answers) -> Chip:
    value, tone = {
        Intact.YES: (pgettext("answer", "Unchanged"), "ok"),
        Intact.NO: (pgettext("answer", "Altered or not validly signed"), "bad"),
        Intact.UNKNOWN: (pgettext("answer", "Could not be checked"), "unknown"),
    }[answers.intact]
    return Chip("intact", gettext("Content"), value, tone)


def _identity_chip(answers: Answers) -> Chip:
    label = gettext("Issuer identity")
    source = answers.issuer_identity_source or ""
    if answers.issuer_identity == IssuerIdentity.CONFIRMED:
        if answers.issuer_identity_basis == IdentityBasis.REGISTRY:
            value = gettext("Confirmed: listed in “%(registry)s”") % {"registry": source}
        else:
            value = gettext("Confirmed: domain %(domain)s") % {"domain": source}
        return Chip("issuer_identity", label, value, "ok")
    if answers.issuer_identity == IssuerIdentity.NOT_CONFIRMED:
        if answers.issuer_identity_basis == IdentityBasis.SELF_ASSERTED:
            return Chip("issuer_identity", label, gettext("Not confirmed (self-asserted)"), "warn")
        return Chip("issuer_identity", label, gettext("Not confirmed"), "bad")
    return Chip("issuer_identity", label, pgettext("answer", "Could not be checked"), "unknown")


def _recipient_chip(answers: Answers) -> Chip:
    value, tone = {
        Recipient.APPLICANT: (gettext("This applicant"), "ok"),
        Recipient.WALLET_HOLDER: (gettext("This applicant (wallet)"), "ok"),
        Recipient.SOMEONE_ELSE: (gettext("Someone else"), "bad"),
        Recipient.NONE_NAMED: (gettext("Names no recipient"), "warn"),
        Recipient.NOT_CHECKED: (pgettext("answer", "Not checked"), "unknown"),
    }[answers.recipient]
    return Chip("recipient", gettext("Recipient"), value, tone)


def _current_chip(answers: Answers) -> Chip:
    day = display_date(answers.current_date)
    label = gettext("Current")
    if answers.current == Currency.CURRENT:
        value = gettext("Current, until %(date)s") % {"date": day} if day else gettext("Current")
        return Chip("current", label, value, "ok")
    if answers.current == Currency.EXPIRED:
        value = gettext("Expired on %(date)s") % {"date": day} if day else gettext("Expired")
        return Chip("current", label, value, "bad")
    if answers.current == Currency.NOT_YET_VALID:
        value = gettext("Valid from %(date)s") % {"date": day} if day else gettext("Not valid yet")
        return Chip("current", label, value, "bad")
    if answers.current == Currency.REVOKED:
        return Chip("current", label, gettext("Revoked by the issuer"), "bad")
    return Chip("current", label, pgettext("answer", "Could not be checked"), "unknown")


def answers_view(answers: Answers | None, *, status: str, meaning: str = "") -> AnswersView:
    """``answers`` None: a row checked before the answers existed and not migrated (or made
    by hand); it shows its status ``meaning`` and no chips rather than "could not check"."""
    if answers is None and status != Status.PENDING:
        return AnswersView(str(status), meaning, (), False, False, has_answers=False)
    answers = answers or Answers()
    checked = status != Status.PENDING and not (
        status == Status.MALFORMED and answers.intact == Intact.UNKNOWN
    )
    return AnswersView(
        status=str(status),
        headline=headline(answers, status=status),
        chips=chips(answers) if checked else (),
        is_genuine=answers.is_genuine and checked,
        # Altered, or signed by a key that is not the named issuer's: its claims are nobody's.
        untrusted_content=checked
        and (
            answers.intact == Intact.NO
            or (
                status == Status.FAILED
                and answers.issuer_identity_basis != IdentityBasis.SELF_ASSERTED
            )
        ),
        has_answers=checked,
    )
