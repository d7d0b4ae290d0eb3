"""The trainer's console. Only accounts with the «Giảng viên» role may use it.

Routes:
    GET  /giang-vien/                           workshops, and the form to create one
    POST /giang-vien/lop-hoc                    create a workshop (CSV of trainees or N anonymous seats)
    GET  /giang-vien/lop-hoc/<code>             the live progress grid (refreshes itself)
    GET  /giang-vien/lop-hoc/<code>/phieu       printable join slips
    POST /giang-vien/lop-hoc/<code>/dong-ho     advance the class clock by N working days
    GET  /giang-vien/lop-hoc/<code>/ket-qua.csv the results, for a spreadsheet
"""

from flask import Blueprint

bp = Blueprint("trainer", __name__, url_prefix="/giang-vien")

from sandbox.web.trainer import views  # noqa: E402, F401 - routes register on import
