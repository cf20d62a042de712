"""Near-duplicates and same-story clusters: shingles, MinHash, LSH, index, engines, output."""
