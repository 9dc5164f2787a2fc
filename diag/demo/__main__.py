"""``python -m diag.demo``: regenerate the demo briefs and data files."""

import sys

from diag.demo import main

sys.exit(main())
