"""Allow ``python -m cyberhistory``."""

import sys

from cyberhistory.cli import main

sys.exit(main())
