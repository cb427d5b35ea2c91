"""GOV.UK Frontend components as template tags, so the markup is written once.

Chosen over a component library (such as govuk-frontend-django) because these
few components are all the pages use, the markup stays tied to the GOV.UK
Frontend version the front end builds, and nothing is added to the dependencies.
The library is a builtin (settings.TEMPLATES), so templates need no ``{% load %}``.

    {% breadcrumbs %}{% crumb "KPIs" "organisations:kpi_list" %}{% crumb service.name "organisations:kpi_scorecard" service.pk %}{% endbreadcrumbs %}
    <dl class="govuk-summary-list">
      {% summary_row "Job role" %}{{ person.job_role|default:"Not set" }}{% endsummary_row %}
    </dl>
    {% scroll_table "team" %}<table class="govuk-table"><caption ...>Direct reports</caption>...</table>{% endscroll_table %}
"""

from __future__ import annotations

import re

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import slugify

register = template.Library()


class _WrapNode(template.Node):
    def __init__(self, nodelist, opening: str, closing: str, key=None):
        self.nodelist, self.opening, self.closing, self.key = nodelist, opening, closing, key

    def render(self, context) -> str:
        inner = self.nodelist.render(context)
        opening = format_html(self.opening, self.key.resolve(context)) if self.key else self.opening
        return f"{opening}{inner}{self.closing}"


@register.tag
def breadcrumbs(parser, token):
    """The GOV.UK breadcrumbs around the ``{% crumb %}`` items inside it."""
    nodelist = parser.parse(("endbreadcrumbs",))
    parser.delete_first_token()
    return _WrapNode(
        nodelist,
        '<nav class="govuk-breadcrumbs" aria-label="Breadcrumb"><ol class="govuk-breadcrumbs__list">',
        "</ol></nav>",
    )


@register.simple_tag
def crumb(label, viewname, *args) -> str:
    """One breadcrumb: a link to the URL named ``viewname`` (with ``args``), reading
    ``label`` (escaped). A renamed URL fails loudly, as ``{% url %}`` does."""
    return format_html(
        '<li class="govuk-breadcrumbs__list-item"><a class="govuk-breadcrumbs__link" href="{}">{}</a></li>',
        reverse(viewname, args=args),
        label,
    )


@register.tag
def summary_row(parser, token):
    """A summary list row: the key (a string or a variable, escaped) and the value
    rendered from the tag's body."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("{% summary_row key %} takes exactly one key")
    key = parser.compile_filter(bits[1])
    nodelist = parser.parse(("endsummary_row",))
    parser.delete_first_token()
    return _WrapNode(
        nodelist,
        '<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">{}</dt>'
        '<dd class="govuk-summary-list__value">',
        "</dd></div>",
        key=key,
    )


_CAPTION = re.compile(r"<caption\b([^>]*)>")


class _ScrollTableNode(template.Node):
    def __init__(self, nodelist, parts):
        self.nodelist, self.parts = nodelist, parts

    def render(self, context) -> str:
        inner = str(self.nodelist.render(context))
        caption = _CAPTION.search(inner)
        if caption is None or " id=" in caption.group(1):
            raise template.TemplateSyntaxError(
                "{% scroll_table %} holds one table with a <caption> that has no id (the tag gives it one)"
            )
        caption_id = slugify("-".join(str(part.resolve(context)) for part in self.parts)) + "-caption"
        close = inner.index("</caption>", caption.end())
        inner = (
            f'{inner[: caption.end() - 1]} id="{caption_id}">'
            f'<span class="app-table-scroll__caption">{inner[caption.end() : close]}</span>{inner[close:]}'
        )
        opening = format_html(
            '<div class="app-table-scroll" role="region" aria-labelledby="{}" tabindex="0">', caption_id
        )
        return mark_safe(f"{opening}{inner}</div>")  # inner was rendered (escaped) by the template


@register.tag
def scroll_table(parser, token):
    """A data table that scrolls sideways inside its own region when it is wider
    than the screen, so the page never does (WCAG 1.4.10, reflow at 320 px). The
    region is named by the table's caption, which the tag gives the id
    ``<parts joined by hyphens>-caption`` (unique on the page: pass a loop
    counter or a record's id for repeated tables), and it takes the keyboard
    focus so it can be scrolled without a mouse. The caption's words and the
    first column (the row's name) stay in view while the rest scroll
    (static/scss/_tables.scss)."""
    parts = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    if not parts:
        raise template.TemplateSyntaxError("{% scroll_table %} takes an id for the table's caption")
    nodelist = parser.parse(("endscroll_table",))
    parser.delete_first_token()
    return _ScrollTableNode(nodelist, parts)
