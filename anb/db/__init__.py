"""Database infrastructure: engines, sessions, column types and the declarative base."""
