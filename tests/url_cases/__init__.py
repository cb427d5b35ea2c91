"""The registry the permission matrix walks: one Case per URL name.

Each capability adds a module here with a ``CASES`` list. The matrix fails when
a URL in the URL conf has no case, so a new URL cannot be forgotten.
"""

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

DEFAULT_PERSONAS = ("staff", "manager", "head", "officer", "outsider")


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
    # query string added to GET requests (e.g. a required filter)
    query: str = ""

    def expected(self, persona: str) -> int:
        if persona in self.expect:
            return self.expect[persona]
        if persona == "outsider" and self.kwargs is not None:
            return 404
        return self.default


def all_cases() -> dict[str, Case]:
    cases: dict[str, Case] = {}
    for mod in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{mod.name}")
        for case in getattr(module, "CASES", []):
            assert case.name not in cases, f"two cases for {case.name}"
            cases[case.name] = case
    return cases
