"""``python -m pv_identify.cli``: the command line (same as ``pv-identify``)."""

import sys

from pv_identify.cli import main

sys.exit(main())
