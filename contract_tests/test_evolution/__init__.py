"""Tests of spec evolution: the breaking-change rules, the version gate, the CLI and the changelog."""
