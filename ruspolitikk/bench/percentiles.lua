-- wrk reports p50/p99 with --latency but not p95, nor its counts in a form to parse. This prints
-- one line, BENCH_JSON {...}, when the run is done: latency percentiles in microseconds, the
-- requests and duration, and every kind of error (status = responses that are not 2xx/3xx).
-- Read by ruspolitikk/bench/wrk.py.
done = function(summary, latency, requests)
    local errors = summary.errors
    io.write(string.format(
        'BENCH_JSON {"requests": %.0f, "duration_us": %.0f, "p50_us": %.0f, "p95_us": %.0f, ' ..
        '"p99_us": %.0f, "max_us": %.0f, "status": %.0f, "connect": %.0f, "read": %.0f, ' ..
        '"write": %.0f, "timeout": %.0f}\n',
        summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
        latency:percentile(99), latency.max, errors.status, errors.connect, errors.read,
        errors.write, errors.timeout))
end
