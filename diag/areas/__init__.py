"""Pure analysis functions, one module per diagnosis area."""
