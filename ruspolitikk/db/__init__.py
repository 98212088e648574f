"""The database under failure: bounded waits, a fast 503, and recovery without a restart.

- ``deadline``: a watchdog that cuts a query (or a connection attempt) that outlives its deadline,
  and a per-process circuit breaker, so a hung server costs one deadline, not one per request;
- ``postgresql``: Django's PostgreSQL backend with those bounds on connecting and health checks;
- ``middleware``: the per-request query deadline;
- ``views``: the 503 page with ``Retry-After`` for any request the database could not answer.
"""
