"""govgate: a policy-as-code governance gate for ML model releases."""

__version__ = "0.1.0"
