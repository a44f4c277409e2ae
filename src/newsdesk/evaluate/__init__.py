"""Evaluation harnesses: extraction quality (and summaries, elsewhere)."""
