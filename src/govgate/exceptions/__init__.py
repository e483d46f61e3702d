"""Policy exceptions (waivers): their file, their validity and expiry, and how they are edited."""
