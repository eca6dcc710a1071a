"""Spec quality rules of our own (`make lint`), run beside openapi-spec-validator and Redocly."""
