"""{% table_scroll "名称" … %}<table class="table">…</table>{% endtable_scroll %}: a wide table in a box of its own.

On a narrow screen a wide table scrolls sideways in its box (.table-scroll in site.css) instead of widening the
page. A box that scrolls must be reachable by keyboard, or its hidden columns cannot be read without a mouse
(GB/T 37668-2019 / WCAG 2.1.1); the box is therefore rendered here, by the server, focusable (tabindex="0", the
arrow keys then scroll it) and named (role="region", aria-label), so that it works without JavaScript too.
The name is the tag's arguments written one after the other (strings and variables, as
`{% table_scroll "第 " c.number " 届评标委员会" %}`) and must be its own on the page. With JavaScript,
static/js/table-scroll.js takes the tab stop and the name away again while the table fits (a wide window).
"""

from __future__ import annotations

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token, VariableDoesNotExist
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()


class TableScrollNode(template.Node):
    def __init__(self, name: list[FilterExpression], nodelist: NodeList):
        self.name = name
        self.nodelist = nodelist

    def render(self, context: template.Context) -> str:
        name = "".join(conditional_escape(_text(part, context)) for part in self.name).strip()
        return format_html(
            '<div class="table-scroll" role="region" aria-label="{}" tabindex="0">{}</div>',
            mark_safe(name or "表格"),
            self.nodelist.render(context),
        )


def _text(part: FilterExpression, context: template.Context) -> str:
    """A part of the name; a missing variable (also in a filter's argument) is nothing, as in {{ … }}."""
    try:
        value = part.resolve(context)
    except VariableDoesNotExist:
        return ""
    return "" if value is None else str(value)  # str() keeps a SafeString safe


@register.tag("table_scroll")
def table_scroll(parser: Parser, token: Token) -> TableScrollNode:
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError('table_scroll 需要表格的名称，如 {% table_scroll "考试列表" %}')
    nodelist = parser.parse(("endtable_scroll",))
    parser.delete_first_token()
    return TableScrollNode([parser.compile_filter(bit) for bit in bits[1:]], nodelist)
