"""``python -m survkit`` runs the command line."""

import sys

from survkit.cli import main

sys.exit(main())
