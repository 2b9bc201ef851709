"""The Qt layer: windows, widgets, item models and the bridge to the background thread.

Everything here is thin: it shows what the core computes and hands every
network call to ``ApiWorker``.
"""

# Every module below imports Qt; PySide's import hook comes with it, and is made
# cheaper before the first of them loads.
import PySide6.QtCore  # noqa: F401

from kombo_desktop.qt import import_scan

import_scan.install()
