"""gunicorn's settings for the web process: ``gunicorn config.wsgi`` started in the project folder reads them.

An admin page is CPU work (Python rendering it: 10–60 ms) with short waits for PostgreSQL between its queries.
With 30 signed-in staff on 2 cores (docs/performance.md, "Staff in the admin"), 2 or 3 synchronous processes
served the most pages a second; 4 or 5, or threads in them (``gthread``), served no more and made some requests
wait behind others (a higher p95). One process per core plus one keeps the cores busy while a process waits for
a slow query. ``WEB_CONCURRENCY`` sets another number.
"""

import os

workers = int(os.environ.get("WEB_CONCURRENCY") or (os.cpu_count() or 1) + 1)
