"""The `browser` step of `make` and `make test`: a thin entry point; the logic lives in
:mod:`medux_contract.docs.browser`."""

import sys

from medux_contract.docs.browser import main

if __name__ == "__main__":
    sys.exit(main())
