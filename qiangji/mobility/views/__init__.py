"""HTML views of the mobility app: thin, every read scoped, every write through `services`."""
