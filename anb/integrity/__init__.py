"""Vote integrity: the scan's rules and flags, operators' review, the audit log (docs/integrity.md)."""
