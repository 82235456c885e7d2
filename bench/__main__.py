"""``python -m bench`` is ``bench/run``."""

import os

from bench.runner import main

# XL has 390,000 rows, past the bound a read takes by default (ptce_graph.io.ingest.MAX_ROWS, sized
# for a build within 2 GiB and a minute): the benchmark measures what the stages cost past it. Set
# here, for the run and the processes it starts, and not in main(), which the tests call in process.
os.environ.setdefault("PTCE_GRAPH_MAX_ROWS", "1000000")
raise SystemExit(main())
