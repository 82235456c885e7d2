"""``python -m ptce_graph``: the same as the ``ptce-graph`` command."""

import sys

from ptce_graph.cli import main

sys.exit(main())
