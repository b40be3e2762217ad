"""``make bench``: the load-test dataset, the benchmark-only middleware and the benchmark itself (``run.py``)."""
