"""``python -m ptce_graph``: the same as the ``ptce-graph`` command."""

import sys

from .cli import main

sys.exit(main())
