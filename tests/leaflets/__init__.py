"""A throwaway content kind, installed only in tests (see `tests/settings.py`).

It proves the registry's promise: a new content type is one app and one
registration. Nothing outside this folder names it, yet it is loaded and
exported, changes to it clear cached pages, a changed slug leaves a redirect,
search finds it and editors may edit it.
"""
