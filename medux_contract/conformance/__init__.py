"""The server conformance suite: does a server keep the contract in ``openapi.yaml``?

schemathesis generates the requests for every operation of the spec (examples, coverage and
fuzzing phases, positive and negative modes); the envelope-aware checks in
:mod:`medux_contract.conformance.checks` judge each answer against the operation it went to (its
own codes, parameters and body) through the one envelope rule, :mod:`medux_contract.envelope`;
the stateful rules in :mod:`medux_contract.conformance.stateful` then judge what requests leave
behind (created assets in the list, paging, keys kept apart, page sizes);
:mod:`medux_contract.conformance.live_policy` and :mod:`medux_contract.conformance.guarded_session`
keep a run against a remote server from spending credits; :mod:`medux_contract.conformance.runner`
ties them together for ``make conformance``.
"""
