"""learning layer (see DESIGN.md)."""
