"""`python -m journal`: the `tandem` command."""

from journal.cli import main

raise SystemExit(main())
