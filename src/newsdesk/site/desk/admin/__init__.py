"""The editors' desk in the Django admin: roles, workflow, copy in, bullets, revisions, editions.

The logic lives in ``newsdesk.site.desk`` (services, copy, revisions, newsletter); these
ModelAdmins decide who sees which button and turn errors into messages. Each module registers
its own ModelAdmins; importing this package (Django's admin autodiscovery does) registers all.
"""

from newsdesk.site.desk.admin import audit, edition, photos, story, taxonomy

__all__ = ["audit", "edition", "photos", "story", "taxonomy"]
