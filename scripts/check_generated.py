"""`make check-generated`: a thin entry point; the logic lives in :mod:`medux_contract.generation.drift`."""

import sys

from medux_contract.generation.drift import main

if __name__ == "__main__":
    sys.exit(main())
