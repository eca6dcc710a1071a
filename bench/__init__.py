"""Benchmarks of medux-contract (`make bench`): the mock against Prism and against its floors (its
own server stack answering canned bytes, and nginx) for every operation of the spec, the mock's
list with 100,000 assets against 10, the client and its pagination against raw httpx, the
conformance suite's rate, the pipeline's wall times and the mock's memory.

Every figure that carries a goal is a ratio against a baseline measured in the same run, or a wall
time on the machine named in the results, because the machines this runs on are shared and noisy.
"""
