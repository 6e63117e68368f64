"""Flask extensions shared by the blueprints, bound to each app in :func:`webui.create_app`.

* CSRF protection (Flask-WTF's ``CSRFProtect``) on every POST, PUT, PATCH and DELETE, so a page
  on another site cannot make a logged-in curator's browser change the archive.
* Rate limiting (Flask-Limiter) for login attempts. Its in-memory storage is right for the one
  server process the archive runs as (waitress, threads); with several processes each would
  count on its own: ``archive serve`` with several processes counts in a SQLite file of the home
  instead (:mod:`webui.server.shared_limits`, registered by :mod:`webui.server.throttle`).
"""

from __future__ import annotations

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()
# The key is the client's address: behind a reverse proxy, set the trusted_proxy setting so
# it is the real client's, not the proxy's (which would make every visitor share one budget).
limiter = Limiter(get_remote_address)
