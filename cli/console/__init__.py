"""`mutuals console`: the support console, a small read-only web app over the engine.

``command`` is the Typer command (it imports the web stack only when run, so the CLI works
without the ``console`` extra); ``app`` is the FastAPI application with its templates.
"""
