"""The engine's pages (OA module), one module per area."""
