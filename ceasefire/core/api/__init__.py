"""API v1 (``/api/v1/``): the shared machinery every app's ``api/`` package builds on.

``base`` holds authentication (tokens, then the browser's session), the token scope permission,
per-token throttling, cursor pagination, the one error body and the ``If-Match``/``version`` rule.
Each app owns its endpoints in ``<app>/api/``; ``ceasefire/api_urls.py`` mounts them together.
"""
