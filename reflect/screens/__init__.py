"""Textual screens. Each talks to the store only through `Journal` (as `app.journal`).

Nothing is imported here, so opening one screen never loads the others.
"""
