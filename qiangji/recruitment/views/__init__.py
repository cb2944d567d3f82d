"""HTML views of the development pipeline (thin: reads through selectors, writes through services)."""
