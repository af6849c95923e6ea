"""Finance pages, one module per area; each lists its `urlpatterns` and registers its navigation."""
