"""The documentation page's content, read from the OpenAPI schema (a plain dict):
every endpoint with its parameters and the fields of what it returns, so the
page and the schema cannot disagree."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Parameter:
    name: str
    where: str
    type: str
    required: bool
    description: str


@dataclass
class Field:
    name: str
    type: str
    nullable: bool
    description: str


@dataclass
class Endpoint:
    method: str
    path: str
    summary: str
    description: str
    is_list: bool
    parameters: list[Parameter] = field(default_factory=list)
    fields: list[Field] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return "endpoint-" + "".join(c if c.isalnum() else "-" for c in self.path).strip("-")


def _resolve(schema: dict, node: dict) -> dict:
    while isinstance(node, dict) and "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        node = schema.get("components", {}).get("schemas", {}).get(name, {})
    if isinstance(node, dict) and "allOf" in node and len(node["allOf"]) == 1:
        merged = {**_resolve(schema, node["allOf"][0]), **{k: v for k, v in node.items() if k != "allOf"}}
        return merged
    return node


def _type(schema: dict, node: dict) -> str:
    node = _resolve(schema, node)
    kind = node.get("type", "object")
    if isinstance(kind, list):
        kind = " or ".join(k for k in kind if k != "null")
    if node.get("format"):
        kind = f"{kind} ({node['format']})"
    if node.get("enum"):
        kind += ": " + ", ".join(str(v) for v in node["enum"] if v is not None)
    return kind


def _fields(schema: dict, node: dict, prefix: str = "") -> list[Field]:
    node = _resolve(schema, node)
    out = []
    for name, prop in node.get("properties", {}).items():
        resolved = _resolve(schema, prop)
        dotted = f"{prefix}{name}"
        nullable = bool(prop.get("nullable") or resolved.get("nullable"))
        description = prop.get("description") or resolved.get("description", "")
        if resolved.get("properties"):
            out.append(Field(dotted, "object", nullable, description))
            out += _fields(schema, resolved, f"{dotted}.")
        else:
            out.append(Field(dotted, _type(schema, prop), nullable, description))
    return out


def endpoints(schema: dict[str, Any]) -> list[Endpoint]:
    """Every operation of the schema, in its order."""
    found = []
    for path, operations in schema.get("paths", {}).items():
        for method, op in operations.items():
            if method.startswith("x-") or not isinstance(op, dict):
                continue
            body = op.get("responses", {}).get("200", {}).get("content", {})
            media = body.get("application/json") or next(iter(body.values()), {})
            response = _resolve(schema, media.get("schema", {}))
            results = response.get("properties", {}).get("results")
            is_list = results is not None
            item = results.get("items", {}) if is_list else response
            found.append(
                Endpoint(
                    method=method.upper(),
                    path=path,
                    summary=op.get("summary", ""),
                    description=op.get("description", ""),
                    is_list=is_list,
                    parameters=[
                        Parameter(
                            name=p["name"],
                            where=p.get("in", ""),
                            type=_type(schema, p.get("schema", {})),
                            required=bool(p.get("required")),
                            description=p.get("description", ""),
                        )
                        for p in op.get("parameters", [])
                    ],
                    fields=_fields(schema, item),
                )
            )
    return found
