"""Trusted-issuer registries: reading their published formats, keeping them, asking them."""
