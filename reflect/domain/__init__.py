"""Pure: records, the cycle, dates, privacy checks, agenda building and output formats.

Imports neither textual, tinydb nor click, and touches no disk.
"""
