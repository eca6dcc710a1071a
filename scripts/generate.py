"""`make generate`: a thin entry point; the logic lives in :mod:`medux_contract.generation.regenerate`."""

import sys

from medux_contract.generation.regenerate import main

if __name__ == "__main__":
    sys.exit(main())
