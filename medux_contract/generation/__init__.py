"""Client generation: openapi-python-client plus the modules rendered from the code table."""
