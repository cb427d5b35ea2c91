"""The data warehouse API: read-only, per-organisation tokens (docs/API.md)."""
