"""Edit one item of a list in a user's YAML file, keeping every other byte of it.

Comment-preserving, line-splicing editing shared by `govgate exceptions` and `govgate approve`:
`lock` (one edit at a time), `text` (lines, comments, encodings), `nodes` (ruamel round-trip
nodes), `listitem` (append or change one item, spliced into the original lines) and `store`
(the locked read-change-write loop and the checked atomic replace). The policy of what may
change lives with each file kind (`govgate.exceptions.edit`, `govgate.approvals.edit`).
"""
