"""Rule packs: their schema, their loading, and the checks they run."""
