"""`govgate test`: rule-pack case files (facts in, findings expected) run against the packs, and
how many rules they cover. Apart from rules/ because it reads artifacts as the sources do."""
