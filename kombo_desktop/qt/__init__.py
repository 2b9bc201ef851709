"""The Qt layer: windows, widgets, item models and the bridge to the background thread.

Everything here is thin: it shows what the core computes and hands every
network call to ``ApiWorker``.
"""
