"""seeding layer (see DESIGN.md)."""
