"""``python -m counterpoint``: the same as the ``counterpoint`` command."""

import sys

from .cli import main

sys.exit(main())
