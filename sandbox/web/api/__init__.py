"""The JSON API, version 1 (OpenAPI document at ``/api/v1/openapi.json``).

Routes:
    POST /api/v1/session                            username + password -> bearer token
    GET  /api/v1/procedures                         the catalogue (filters: sector, level, q)
    POST /api/v1/dossiers                           citizen: online submission; desk: counter receipt
    GET  /api/v1/dossiers                           list (filters, paging)
    GET  /api/v1/dossiers/<code>                    one dossier with its allowed_actions
    POST /api/v1/dossiers/<code>/actions/<action>   fire an action (optional "version" for optimistic locking)
    GET  /api/v1/statistics                         a manager's indicators for a period (from, to)
    GET  /api/v1/openapi.json
"""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from sandbox.web.api import views  # noqa: E402, F401 - routes register on import
