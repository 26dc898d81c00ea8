"""Corpus stores: the ``Store`` protocol, the SQLite backend (default) and the registry."""

from .base import STORES, Fingerprint, Store, check_fingerprint, open_store
from . import sqlite as _sqlite  # noqa: F401  registers the default backend

__all__ = ["STORES", "Fingerprint", "Store", "check_fingerprint", "open_store"]
