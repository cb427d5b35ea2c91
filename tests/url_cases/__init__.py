"""The registry the permission matrix walks: Cases per URL name.

Each capability adds a module here with a ``CASES`` list. The matrix fails when
a URL in the URL conf has no case, so a new URL cannot be forgotten. A URL may
have more than one case (``variant``): the same page for an object whose
visibility is narrower than the organisation (a draft session, a flag about a
person), so the matrix proves who is refused it.
"""

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# Every persona of tests.conftest.World the matrix signs in as. ``outsider`` is
# a performance officer of the other organisation.
PERSONAS = ("staff", "peer", "manager", "head", "chief", "officer", "outsider")
# Kept for modules written before ``chief`` and ``peer`` were walked.
DEFAULT_PERSONAS = PERSONAS

# A POST from a persona who may act: the form shown again with its errors, the
# thing done (a redirect), or a bad request. Never a 500.
ACTED = (200, 302, 400)
REFUSED = (403, 404)


@dataclass
class Case:
    name: str
    # kwargs for an object of the world's organisation (None: a URL without kwargs)
    kwargs: Callable[[Any], dict] | None = None
    # kwargs for an object of the other organisation: a 404 for every persona of the world
    other_kwargs: Callable[[Any], dict] | None = None
    methods: tuple[str, ...] = ("GET",)
    public: bool = False
    # expected GET status per persona; personas not listed expect ``default``
    expect: dict[str, int] = field(default_factory=dict)
    default: int = 200
    # query string added to the URL (e.g. a required filter)
    query: str = ""
    # Expected POST status per persona where it differs from the rule (a persona
    # refused the GET gets the same refusal; one allowed it gets one of ACTED).
    # URLs that take no GET must state every persona's POST here or in
    # ``post_default``.
    post_expect: dict[str, int | tuple[int, ...]] = field(default_factory=dict)
    post_default: int | tuple[int, ...] | None = None
    # A minimal body for the POST (default: an empty one).
    post_data: Callable[[Any], dict] | None = None
    # Names a second case for the same URL name.
    variant: str = ""

    @property
    def key(self) -> str:
        return f"{self.name} [{self.variant}]" if self.variant else self.name

    def expected(self, persona: str) -> int:
        if persona in self.expect:
            return self.expect[persona]
        if persona == "outsider" and self.kwargs is not None:
            return 404
        return self.default

    def states_post(self, persona: str) -> bool:
        return persona in self.post_expect or self.post_default is not None

    def expected_post(self, persona: str) -> int | tuple[int, ...]:
        """An exact status, or a tuple of acceptable ones."""
        if persona in self.post_expect:
            return self.post_expect[persona]
        if self.post_default is not None:
            if persona == "outsider" and self.kwargs is not None:
                return 404  # the other organisation's persona never reaches an object of the world
            return self.post_default
        get = self.expected(persona)
        return get if get in REFUSED else ACTED


def all_cases() -> dict[str, Case]:
    """Every case by its key (the URL name, with its variant)."""
    cases: dict[str, Case] = {}
    for mod in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{mod.name}")
        for case in getattr(module, "CASES", []):
            assert case.key not in cases, f"two cases for {case.key}"
            cases[case.key] = case
    return cases
