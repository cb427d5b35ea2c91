"""The querysets every tenant model shares: rows belong to one organisation,
directly or through a parent, and a viewer's view of them starts from
``visible_to(viewer)``. Models whose rows are about a person narrow
``visible_to`` with their own rule and define the matching object check beside
it (``is_visible_to``); the rest are open to everyone in the organisation."""

from __future__ import annotations

from django.db import models


class ScopedQuerySet(models.QuerySet):
    #: The lookup from the model to its organisation.
    organisation_path = "organisation"

    def in_organisation(self, organisation) -> ScopedQuerySet:
        """Rows of one organisation, before any per-person rule: for fetching an
        object whose own check then answers 403 rather than 404."""
        return self.filter(**{self.organisation_path: organisation})

    def visible_to(self, viewer) -> ScopedQuerySet:
        """Rows the viewer may see: by default, everything in their organisation."""
        return self.in_organisation(viewer.organisation)


def scoped_manager(path: str = "organisation"):
    """A manager for a model with no queryset methods of its own."""
    return type("Scoped", (ScopedQuerySet,), {"organisation_path": path}).as_manager()
