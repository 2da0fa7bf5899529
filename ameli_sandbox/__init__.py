"""The reference service: the ameli API over SQLite, as an ASGI app.

Imported only when the sandbox backend is used or served; it imports nothing from
the CLI (only the standard library, python-stdnum and python-multipart).
"""
