"""`make docs`: a thin entry point; the logic lives in :mod:`medux_contract.docs.build`."""

import sys

from medux_contract.docs.build import main

if __name__ == "__main__":
    sys.exit(main())
