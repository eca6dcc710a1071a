"""The stateful phase: rules about what one request leaves behind for the next.

They need several requests in a row (create, then list; follow ``next_cursor``; list with another
key), so they run after the schemathesis phase, with the same transport (and, against a URL, the
same live guard). Each rule has a verdict like a check: failed, judged and passed, or not
applicable (with the reason).
"""

from medux_contract.conformance.stateful.observed import Observed
from medux_contract.conformance.stateful.phase import (
    STATEFUL_RULES,
    PhaseSettings,
    RuleResult,
    RuleStatus,
    run_stateful_phase,
)

__all__ = ["STATEFUL_RULES", "Observed", "PhaseSettings", "RuleResult", "RuleStatus", "run_stateful_phase"]
