"""Operational routes: liveness, readiness."""
