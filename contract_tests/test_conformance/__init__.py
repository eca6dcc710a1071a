"""Tests of the conformance suite: it passes on the mock, fails for the right reason on broken
servers, agrees with the schemathesis CLI, and cannot burn credits or leak the key."""
