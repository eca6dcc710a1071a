"""medux-contract's library: the spec model and everything derived from it.

Dependency direction (a package imports only from those before it): ``spec`` -> ``envelope`` ->
``lint``, ``generation``, ``docs``, ``evolution``, ``mock`` -> ``conformance``. Tests
(``contract_tests/``), benchmarks (``bench/``) and entry points (``scripts/``) import from here.
"""
