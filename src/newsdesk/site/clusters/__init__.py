"""Story clusters: same-event coverage from several sources, with Quick Looks citing each.

Imports ``stories``; ``stories`` never imports this app. A new story is placed by a
receiver of Story's post_save, run once the ingest's transaction commits (``apps.py``).
"""
