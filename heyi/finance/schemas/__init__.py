"""API schemas of finance, one module per area."""
