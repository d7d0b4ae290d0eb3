"""The unit administrator's console (Quản trị đơn vị).

Routes:
    GET      /quan-tri/                                      units of the province (search), the change log
    GET/POST /quan-tri/don-vi/<id>/can-bo                    officer accounts of a unit: create, role, lock
    GET/POST /quan-tri/don-vi/<id>/tai-khoan-thu             the unit's fee-collection account
    GET      /quan-tri/don-vi/<id>/quy-trinh                 the procedures the unit decides, process versions
    GET/POST /quan-tri/don-vi/<id>/quy-trinh/<code>          edit the internal process of one procedure
"""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/quan-tri")

from sandbox.web.admin import views  # noqa: E402, F401 - routes register on import
