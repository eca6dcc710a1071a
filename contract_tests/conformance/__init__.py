"""The server conformance suite: does a server keep the contract in ``openapi.yaml``?

schemathesis generates the requests (examples, coverage and fuzzing phases, positive and negative
modes); the envelope-aware checks in :mod:`contract_tests.conformance.checks` judge the answers
from the spec's code table; :mod:`contract_tests.conformance.live_policy` and
:mod:`contract_tests.conformance.guarded_session` keep a run against a remote server from
spending credits; :mod:`contract_tests.conformance.runner` ties them together for
``make conformance``.
"""
