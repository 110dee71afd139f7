"""The calendar in the files of the tools SMEs post with (issue 12): one module per tool.

* :mod:`workshop.exports_tools.text`: the post text, CSV-injection guard, CSV bytes.
* :mod:`workshop.exports_tools.buffer`, :mod:`~.metricool`, :mod:`~.publer`,
  :mod:`~.hootsuite`: each tool's files, in its documented layout
  (``data/schedulers.yaml``), from a :class:`workshop.preflight.Result`.
* :mod:`workshop.exports_tools.human`: the CSV a person opens in Excel.
* :mod:`workshop.exports_tools.ics`: the iCalendar file with the platform in every title.

The pre-flight check (:mod:`workshop.preflight`) runs before any of these; the facade
:mod:`workshop.schedulers` runs both and writes the folder. This package imports nothing
at import time, so :mod:`workshop.preflight` can use :mod:`~.text` without a cycle.
"""
