"""Runner accounts: sign-up, log-in with lockout, password reset, and API tokens for scripts."""
