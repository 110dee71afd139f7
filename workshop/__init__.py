"""Social-page strategy workshop toolkit: the logic behind the workshop notebooks and reports.

One plan file (``workshop.plan``) flows through four step models: ``platforms`` (C1-C4),
``capacity`` (C5-C7), ``schedule`` (C10-C12) and ``roi`` (C5, C8, C9).
"""

import sys as _sys

__version__ = "0.1.0"

# jsonschema (through nbformat, papermill, plotly's renderers) imports rfc3987_syntax when
# it is installed, which compiles a grammar at import: ~2 s in every worker and ~1 s in
# every kernel, for an optional IRI format check nothing here uses. jsonschema treats a
# missing module as "skip that check" (benchmarks/README.md has the measurements).
_sys.modules.setdefault("rfc3987_syntax", None)
