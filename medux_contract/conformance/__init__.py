"""The server conformance suite: does a server keep the contract in ``openapi.yaml``?

schemathesis generates the requests (examples, coverage and fuzzing phases, positive and negative
modes); the envelope-aware checks in :mod:`medux_contract.conformance.checks` judge the answers
from the spec's code table; :mod:`medux_contract.conformance.live_policy` and
:mod:`medux_contract.conformance.guarded_session` keep a run against a remote server from
spending credits; :mod:`medux_contract.conformance.runner` ties them together for
``make conformance``.
"""
