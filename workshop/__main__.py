"""``python -m workshop ...`` is the same as the ``workshop`` command."""

from workshop.cli import main

raise SystemExit(main())
