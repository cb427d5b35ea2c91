"""Sections that other apps add to the person page.

organisations never imports appraisals or insights; they register a function
here (in their ``AppConfig.ready``) that returns a section for a person, or
None when the viewer may not see it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest


@dataclass
class PersonSection:
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 50


SectionProvider = Callable[[HttpRequest, Any, Any], "PersonSection | None"]
_providers: list[SectionProvider] = []


def register(provider: SectionProvider) -> SectionProvider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def sections_for(request: HttpRequest, viewer: Any, person: Any) -> list[PersonSection]:
    sections = [s for p in _providers if (s := p(request, viewer, person)) is not None]
    return sorted(sections, key=lambda s: s.order)
