"""The officers' workspace (một cửa): work queues, the dossier page, and its actions.

Routes:
    GET  /motcua/                                  work queue and search
    GET  /motcua/ho-so/<code>                      the dossier page
    GET  /motcua/ho-so/<code>/thao-tac/<action>    the form an action needs (when it needs input)
    POST /motcua/ho-so/<code>/thao-tac/<action>    fire the action
"""

from flask import Blueprint

bp = Blueprint("motcua", __name__, url_prefix="/motcua")

from sandbox.web.motcua import views  # noqa: E402, F401 - routes register on import
