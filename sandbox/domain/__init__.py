"""The rules of the one-stop system, in pure Python (stdlib + `holidays` only).

Nothing here reads the wall clock, a database or a web request: callers pass facts in
and get decisions, dates and reasons back.
"""
