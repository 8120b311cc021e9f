"""Pages of the performance app. Thin: access via ceasefire.core.permissions, reads via selectors,
writes via services. One URL serves a page and, for htmx, its fragment
(``ceasefire.core.htmx.render_page``, ``Vary: HX-Request``).

``worksheets``: the landing page, a period's worksheet and the records behind its numbers;
``inputs``: benchmarks and enforcement inputs; ``reviews``: performance review meetings.
"""
