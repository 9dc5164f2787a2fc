"""Industry templates: the schema of a template, the registry that finds and loads them."""
