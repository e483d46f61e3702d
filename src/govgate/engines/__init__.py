"""Engines turn Facts and rules into findings; they are pure and do no I/O."""
