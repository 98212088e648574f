"""The benchmark: the app served as production serves it, loaded with wrk (``make bench``).

One module per step:

- ``server``: the production environment, the database prepared as ``make serve`` does, and
  gunicorn started with ``ruspolitikk/gunicorn.conf.py`` on a loopback port (always stopped);
- ``render``: in-process render times with the page cache off, and the grid's static copy;
- ``wrk``: driving load with wrk and reading its results (``percentiles.lua``);
- ``leg``: one database's run: every page, cached and uncached, at each number of clients;
- ``report``: the rows, saved per leg as JSON and printed as one table;
- ``__main__``: ``python -m ruspolitikk.bench run|report``.

Nothing here reaches beyond 127.0.0.1, and every run is bounded in time.
"""
