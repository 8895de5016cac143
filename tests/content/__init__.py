"""Checks on the content the site ships with (`content/`), kept apart from behaviour tests.

An editor who rewrites a sentence, adds a criterion or renames a part may need
to update a test here, and only here: the behaviour tests elsewhere must not
depend on what the shipped content says.
"""
