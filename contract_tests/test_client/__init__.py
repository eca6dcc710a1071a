"""Tests of the generated client (generated/medux_avatar_client): errors, retries, hostile answers."""
