"""Social-page strategy workshop toolkit: the logic behind the workshop notebooks and reports.

One plan file (``workshop.plan``) flows through four step models: ``platforms`` (C1-C4),
``capacity`` (C5-C7), ``schedule`` (C10-C12) and ``roi`` (C5, C8, C9).
"""

__version__ = "0.1.0"
