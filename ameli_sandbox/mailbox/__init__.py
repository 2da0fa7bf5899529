"""The parts of the secure messages feature (features/messages.py owns its schema,
seed and routes): store, replies, attachments, conversations (reading) and sending.
Kept out of features/, which holds one module per resource listed in app.FEATURES."""
