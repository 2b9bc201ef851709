"""Kombo Desktop: write assessment result links into applicant tracking systems via Kombo."""

__version__ = "0.1.0"
