"""ratings app."""
