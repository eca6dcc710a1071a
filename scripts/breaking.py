"""`make breaking`: a thin entry point; the logic lives in :mod:`medux_contract.evolution.breaking`."""

import sys

from medux_contract.evolution.breaking import main

if __name__ == "__main__":
    sys.exit(main())
