"""`make conformance`: a thin entry point; the logic lives in :mod:`medux_contract.conformance.cli`."""

import sys

from medux_contract.conformance.cli import main

if __name__ == "__main__":
    sys.exit(main())
