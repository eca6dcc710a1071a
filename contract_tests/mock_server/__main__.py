import sys

from contract_tests.mock_server.cli import main

sys.exit(main())
