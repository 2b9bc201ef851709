"""``python -m kombo_desktop``: the same entry point as the ``kombo-desktop`` command."""

import sys

from kombo_desktop.cli.main import main

sys.exit(main())
