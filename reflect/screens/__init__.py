"""Textual screens of the one app, `ReflectApp`. Each talks to the store only through the
typed `Journal` the app holds (`context.host(screen).journal`).

Nothing is imported here, so opening one screen never loads the others.
"""
