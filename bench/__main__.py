"""``python -m bench`` is ``bench/run``."""

from bench.runner import main

raise SystemExit(main())
