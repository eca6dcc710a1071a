"""`make changelog`: a thin entry point; the logic lives in :mod:`medux_contract.evolution.changelog`."""

import sys

from medux_contract.evolution.changelog import main

if __name__ == "__main__":
    sys.exit(main())
