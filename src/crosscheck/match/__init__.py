"""Matching: words, features, sentence alignment, the verdict on each linked pair, quotes."""
