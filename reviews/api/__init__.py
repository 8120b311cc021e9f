"""The shooting log's part of API v1 (``/api/v1/incidents/``), built on ``ceasefire.core.api``."""
