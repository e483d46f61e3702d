"""A stand-in for govgate, packed into a wheel by the tests: it records how it was called."""
