"""The web console (NiceGUI on the API's FastAPI app): `mount_console` in `console.py`, pages in `pages/`."""
