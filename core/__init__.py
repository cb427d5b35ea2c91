"""Cross-cutting pieces every app may use: the clock, and (over time) middleware,
navigation, bulk SQL helpers, text limits and queueing. ``core`` imports no app."""
