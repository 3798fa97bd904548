"""``{% cached_card cards version %}…{% endcached_card %}``: the card's HTML from a
``CardCache`` that fetched every card of the page at once, or rendered now and stored."""

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.template.context import Context

from employers.card_cache import CardCache

register = template.Library()


class CachedCardNode(template.Node):
    def __init__(self, nodelist: NodeList, cards: FilterExpression, version: FilterExpression):
        self.nodelist, self.cards, self.version = nodelist, cards, version

    def render(self, context: Context) -> str:
        cards = self.cards.resolve(context)
        if not isinstance(cards, CardCache):  # a view that does not cache cards
            return self.nodelist.render(context)
        version = str(self.version.resolve(context))
        html = cards.get(version)
        if html is None:
            html = self.nodelist.render(context)
            cards.put(version, html)
        return html


@register.tag("cached_card")
def cached_card(parser: Parser, token: Token) -> CachedCardNode:
    bits = token.split_contents()
    if len(bits) != 3:
        raise template.TemplateSyntaxError("usage: {% cached_card cards version %}")
    nodelist = parser.parse(("endcached_card",))
    parser.delete_first_token()
    return CachedCardNode(nodelist, parser.compile_filter(bits[1]), parser.compile_filter(bits[2]))
