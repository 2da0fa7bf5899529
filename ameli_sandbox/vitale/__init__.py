"""The parts of the carte Vitale feature (features/vitale.py owns its schema, seed,
routes and status): cards (the card rows), orders and declarations. Kept out of
features/, which holds one module per resource listed in app.FEATURES."""
