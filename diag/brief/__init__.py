"""The client brief (需求澄清表): the typed model, its field catalogue and its completeness."""
