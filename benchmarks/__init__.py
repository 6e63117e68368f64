"""Benchmarks that print figures (no timed assertions); run with `make bench-zip` and kin."""
