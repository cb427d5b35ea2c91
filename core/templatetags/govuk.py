"""GOV.UK Frontend components as template tags, so the markup is written once.

Chosen over a component library (such as govuk-frontend-django) because these
few components are all the pages use, the markup stays tied to the GOV.UK
Frontend version the front end builds, and nothing is added to the dependencies.
The library is a builtin (settings.TEMPLATES), so templates need no ``{% load %}``.

    {% breadcrumbs %}{% crumb "KPIs" "organisations:kpi_list" %}{% crumb service.name "organisations:kpi_scorecard" service.pk %}{% endbreadcrumbs %}
    <dl class="govuk-summary-list">
      {% summary_row "Job role" %}{{ person.job_role|default:"Not set" }}{% endsummary_row %}
    </dl>
"""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html

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
