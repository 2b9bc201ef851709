"""The ``kombo-desktop`` command line: GUI launcher, ``send``, ``sandbox`` and ``profiles``."""
