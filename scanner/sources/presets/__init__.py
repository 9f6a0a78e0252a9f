"""One module per platform export; each defines one preset object (see scanner.sources.detect)."""
