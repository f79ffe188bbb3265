"""The domain core of hipcoach: every rule of the domain, pure Python, no Django."""
