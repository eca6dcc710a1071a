"""Test and benchmark helpers that are library code: hostile network conditions, made on loopback.

:mod:`~medux_contract.testing.faults` is a fault-injecting TCP proxy; :mod:`~medux_contract.testing.raw`
speaks raw HTTP/1.1 over a socket, for peers no HTTP client library would be.
"""
