"""Settings: frozen values with a docstring under every field, checked in one place."""
