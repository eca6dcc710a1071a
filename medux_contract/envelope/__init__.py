"""The Medux envelope: one rule that judges an answer, one builder that writes one.

Conformance checks, the bench, the spec-example lint rule and the mock all go through these two
modules, so what counts as a conformant answer is written once.
"""

from medux_contract.envelope.builder import build_envelope
from medux_contract.envelope.rule import RuleName, Verdict, Violation, judge, judge_document

__all__ = ["RuleName", "Verdict", "Violation", "build_envelope", "judge", "judge_document"]
