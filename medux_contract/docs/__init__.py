"""Reference docs builders: the HTML page (Redocly), the Markdown reference and the MCP descriptor."""
