"""The Qt-free core of Kombo Desktop: models, API client, messages, profiles and storage.

Nothing in this package imports Qt, so the command line, the tests and the GUI
share one implementation.
"""
