"""One module per resource of the API. Each exports:

- COMPONENT: the name its schema version is kept under;
- MIGRATIONS: its schema, in order (append, never edit a released one);
- routes(): its routes (routing.Route);
- seed(conn, people, today): its seeded data, run once on a new database.

`ameli_sandbox.app.FEATURES` lists them in dependency order.
"""
