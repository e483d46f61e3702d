"""Sources of facts: each does its own I/O once and reports what it read."""
