"""The reliability run (``bin/reliability``): Waymark on PostgreSQL as it is
deployed (several API workers and the projection worker, each its own process)
under 32 clients with faults injected, then checked against its own log; then
fuzzed from ``schema.graphql`` and fed the known abuse cases. See
bench/README.md."""
