"""`python -m journal.cli`: the `tandem` command."""

from journal.cli import main

raise SystemExit(main())
