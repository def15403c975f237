"""Benchmarks and the long fuzz run: `python -m benchmarks`."""
