"""The child's search pipeline: query gate, providers (embedded index, SearXNG), result filtering.

`SearchPipeline` (device/search/pipeline.py) is the entry point; providers live in local.py and
searxng.py; result_filter.py hides harmful, lure and block-listed results and redacts PII.
"""
