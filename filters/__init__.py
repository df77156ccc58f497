"""kidsafe filters: decide, offline, whether a text may be shown to a child.

Pure library: no network, no global mutable state. The entry point is
`filters.engine.TextFilter`, whose `check(text, policy)` returns a `Verdict`.
"""
