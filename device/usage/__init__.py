"""Anti-addiction on the device: a usage clock, its SQLite store, the rules engine and tamper-resistant time.

    clocks      injectable wall / monotonic clocks
    store       SQLite (WAL) tables: usage by day, persisted time state, extra time, "more time" queue
    timekeeper  device time that a changed wall clock cannot move (monotonic + high-water mark + trusted offset)
    rules       time rules parsed from the policy (limits, night window, breaks, exemptions)
    engine      the usage clock: counts active time and answers "may the child use this now?"
"""
