"""``{% plain_reason check as reason %}``: a check's sentence and its technical details."""

from django import template

from credentials.verification.reasons import PlainReason, plain_reason
from credentials.verification.result import CheckResult

register = template.Library()


@register.simple_tag(name="plain_reason")
def plain_reason_tag(check: CheckResult) -> PlainReason:
    return plain_reason(check)
