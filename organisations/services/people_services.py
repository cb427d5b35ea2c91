"""Where the people of an HR file work: each row's service path or code resolved
against the organisation's service tree, and the services an import would create.

A path is read from the top of the organisation down ("Adults' Social Care ›
Safeguarding Adults › Safeguarding Hub"; the organisation's own name may lead it),
its parts separated by "›" or ">". A code (the HR system's cost centre or unit
code) is matched first. Services below an existing directorate that do not exist
yet are created, and listed as new services in the check; a path whose first part
is not an existing directorate is an error (a typo must not create a directorate),
except on a first load, when the organisation has no directorates yet and the
file builds the whole tree.
"""

from __future__ import annotations

from organisations.models import Organisation, Service, ServiceKind
from organisations.models.structure import ServiceTree
from organisations.services import hr_systems

Key = tuple[str, ...]


def kind_at(depth: int) -> str:
    """Directorates under the organisation, services under them, teams below."""
    if depth == 1:
        return ServiceKind.DIRECTORATE
    return ServiceKind.SERVICE if depth == 2 else ServiceKind.TEAM


class ServiceResolver:
    def __init__(self, organisation: Organisation, tree: ServiceTree):
        self.organisation = organisation
        roots = sorted(tree.roots, key=lambda s: s.pk)
        self.root: Service | None = roots[0] if roots else None
        self.by_key: dict[Key, Service] = {}
        self.names: dict[Key, str] = {}
        self.key_of: dict[int, Key] = {}
        self.new: dict[Key, Service] = {}
        self.code_updates: dict[Key, str] = {}
        for s in tree:
            chain = [*tree.ancestors(s), s]
            if chain[0] is not self.root:
                continue
            key = tuple(n.name.lower() for n in chain[1:])
            self.by_key[key], self.names[key], self.key_of[s.pk] = (
                s,
                " \u203a ".join(n.name for n in chain[1:]),
                key,
            )
        self.by_code: dict[str, Key] = {
            s.code.upper(): self.key_of[s.pk] for s in tree if s.code and s.pk in self.key_of
        }
        self.first_load = not any(len(k) == 1 for k in self.by_key)
        if self.root is None:
            self.root = Service(
                organisation=organisation, name=organisation.name[:200], kind=ServiceKind.DIRECTORATE
            )
            self.by_key[()] = self.new[()] = self.root
            self.names[()] = organisation.name

    def display(self, key: Key) -> str:
        return self.names.get(key) or self.organisation.name

    def resolve(self, path_text: str, code_text: str) -> tuple[Key, str, str]:
        """The service's key, and a problem and its column (empty when none)."""
        code = code_text.upper()[:30]
        if code and code in self.by_code:
            return self.by_code[code], "", ""
        parts = hr_systems.split_path(path_text)
        root_name = (self.root.name if self.root else self.organisation.name).lower()
        if parts and parts[0].lower() in (root_name, self.organisation.name.lower()):
            parts = parts[1:]
            if not parts:
                return (), "", ""  # the organisation itself (its chief executive)
        if not parts:
            if code:
                return (
                    (),
                    (
                        f"No service has the code {code}. Give the service path too, so the import can "
                        "create it, or set the code on the service first."
                    ),
                    "service_code",
                )
            return (), "Enter the service the person works in (its path or code).", "service_path"
        if any(len(p) > 200 for p in parts):
            return (), "A service's name has at most 200 characters.", "service_path"
        key = tuple(p.lower() for p in parts)
        if key in self.by_key:
            service = self.by_key[key]
            if code and service.code and service.code.upper() != code:
                return key, (f"{self.display(key)} has the code {service.code}, not {code}."), "service_code"
            if code and not service.code:
                if service.pk is None:
                    service.code = code
                else:
                    self.code_updates[key] = code
                self.by_code[code] = key
            return key, "", ""
        if key[:1] not in self.by_key and not self.first_load:
            return (
                key,
                (
                    f"'{parts[0]}' is not a directorate of {self.organisation.name}. Check the spelling; "
                    "a new directorate is set up in the structure first, then the import can fill it."
                ),
                "service_path",
            )
        for depth in range(1, len(key) + 1):
            part = key[:depth]
            if part not in self.by_key:
                service = Service(organisation=self.organisation, name=parts[depth - 1], kind=kind_at(depth))
                self.by_key[part] = self.new[part] = service
                self.names[part] = " \u203a ".join(parts[:depth])
        if code:
            self.by_key[key].code = code
            self.by_code[code] = key
        return key, "", ""
