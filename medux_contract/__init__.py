"""medux-contract's library: the spec model and everything derived from it.

Dependency direction (a package imports only from the ones it points at, never back):
``spec`` <- ``envelope`` <- ``lint`` <- ``docs`` -> ``generation`` -> ``spec``;
``evolution`` -> ``spec``; ``mock`` -> ``envelope``, ``loopback``; ``conformance`` -> ``mock``;
``testing`` and ``loopback`` stand alone; ``pipeline`` -> ``docs`` (the browser step).
Tests (``contract_tests/``), benchmarks (``bench/``) and entry points (``scripts/``) import from here.
"""
