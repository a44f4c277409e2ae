"""Group stories on the same event from different sources, one story at a time.

    >>> index = ClusterIndex()
    >>> key, match = index.add(Doc("a", "Quake hits Chile", "A strong earthquake struck Chile."))

The library half: no Django. The site keeps its clusters in the database and calls
``best`` and ``place`` (``newsdesk.site.clusters``).
"""

from newsdesk.cluster.features import names, terms
from newsdesk.cluster.index import ClusterIndex, ClusterOptions, Doc, Match
from newsdesk.cluster.looks import Citation, ClusterBullet, ClusterLooks, Source, cluster_looks

__all__ = [
    "Citation",
    "ClusterBullet",
    "ClusterIndex",
    "ClusterLooks",
    "ClusterOptions",
    "Doc",
    "Match",
    "Source",
    "cluster_looks",
    "names",
    "terms",
]
