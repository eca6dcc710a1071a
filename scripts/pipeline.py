"""`make, make test, make style`: a thin entry point; the logic lives in :mod:`medux_contract.pipeline`."""

import sys

from medux_contract.pipeline import main

if __name__ == "__main__":
    sys.exit(main())
