"""Player accounts: signup, login, rotating refresh tokens and the caller's identity."""
