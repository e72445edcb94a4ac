"""Helpers shared by test modules (never test modules themselves, so none imports another)."""
