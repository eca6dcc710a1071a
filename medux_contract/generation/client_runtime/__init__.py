"""Runtime modules of the generated client that need no spec data: plain Python, copied verbatim.

``client_extras`` copies each module here into the generated package unchanged, so that ruff and
mypy check them in this repository before any rendering. They import only each other, ``httpx`` and
``attrs`` (never a rendered module), which keeps them checkable on their own.
"""
