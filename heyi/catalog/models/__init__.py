from .products import Category, Product, ProductUnit
from .units import Unit

__all__ = ["Category", "Product", "ProductUnit", "Unit"]
