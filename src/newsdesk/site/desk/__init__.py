"""desk app."""
