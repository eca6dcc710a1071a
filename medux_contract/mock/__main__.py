import sys

from medux_contract.mock.cli import main

sys.exit(main())
