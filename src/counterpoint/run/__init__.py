"""Runners of the per-article work of ingest: in-process, multiprocessing and Ray, with the same results."""
