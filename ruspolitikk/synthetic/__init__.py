"""A deterministic synthetic data set of the real shape, for benchmarks and scale tests.

Tooling, not domain: it lives beside the benchmark (``ruspolitikk/bench/``), outside the domain
apps, and its command ``generate_synthetic`` belongs to the site app (``ruspolitikk``), which is
already installed. One module per step: ``places`` (the country's counties and municipalities),
``shape`` (organisations and their sources), ``text`` (statement text), ``generate`` (the guard,
the bulk write and the report).
"""
