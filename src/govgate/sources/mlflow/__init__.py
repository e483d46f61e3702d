"""The MLflow model registry and tracking server as a source of facts, over REST or the library."""
