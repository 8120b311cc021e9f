"""The demo city: a deterministic, Oakland-sized partnership and ``manage.py seed_demo``.

Imports every app (core and the three meeting apps); nothing imports it.
"""
