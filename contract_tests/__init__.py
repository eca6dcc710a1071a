"""Contract tests for the Medux Create Avatar by Image API, and the spec-driven mock they run against."""
