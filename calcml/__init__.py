"""calcml."""
