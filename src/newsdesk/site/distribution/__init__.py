"""distribution app."""
