"""Publishers put rendered formats somewhere: files, CI annotations, the model registry."""
