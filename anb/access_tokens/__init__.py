"""Access tokens: Ed25519 signing keys and the short-lived JWTs they sign.

Infrastructure shared by every role: the auth role issues tokens (accounts), every role verifies
them (``anb.deps.current_user_id``). Refresh tokens are an accounts matter (anb/accounts).
"""
