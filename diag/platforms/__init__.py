"""Platform profiles: how each back office lays out its order export (schema, registry, detection)."""
