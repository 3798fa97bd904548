"""Test issuers: build real credentials (real keys, real signatures) and play issuer hosts."""
