"""Approvals: who signed off on what, from the repo's file, MLflow tags, and code review."""
