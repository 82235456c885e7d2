"""The national-scale benchmark of ptce-graph: synthetic data, stages, runner.

``bench/run --size S|M|L|XL`` times the fast pipeline against the naive one; see
``bench/runner.py`` and ``docs/performance.md``. Not part of the installed package.
"""
