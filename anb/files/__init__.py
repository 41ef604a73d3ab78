"""Serving locally stored media through signed, expiring URLs (the embedded storage backend)."""
