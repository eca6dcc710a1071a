"""`make lint`: a thin entry point; the logic lives in :mod:`medux_contract.lint.runner`."""

import sys

from medux_contract.lint.runner import main

if __name__ == "__main__":
    sys.exit(main())
