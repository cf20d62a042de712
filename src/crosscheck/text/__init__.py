"""Text in: read files, clean page furniture, normalize, split sentences, find quotes."""
