"""Benchmarks of the workshop toolkit: widget reaction, one client report and a batch
against the naive papermill + nbconvert chain, and the models alone.

Run ``python -m benchmarks [--quick] [--json PATH]`` (``make bench`` / ``make bench-quick``);
see ``benchmarks/README.md``. Targets are reported, never asserted.
"""
