"""Pages of the app (views/base.py and one module per area)."""
