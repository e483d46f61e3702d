"""`python -m govgate`."""

import sys

from govgate.cli import main

sys.exit(main())
