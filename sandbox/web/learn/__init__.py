"""Trainees: join a class, pick a scenario, work in its workspace, submit, read the score.

Routes:
    GET/POST /hoc-vien/tham-gia                    join with a code, or practise alone under a name
    GET  /hoc-vien/                                the scenarios open to the trainee, with progress
    GET  /hoc-vien/kich-ban/<id>                   the task, hints, attempts
    POST /hoc-vien/kich-ban/<id>/bat-dau           start or continue (opens the officer pages)
    POST /hoc-vien/kich-ban/<id>/vai-tro           switch to another role of the scenario
    POST /hoc-vien/kich-ban/<id>/goi-y/<n>         reveal a hint (costs points)
    POST /hoc-vien/kich-ban/<id>/nop-bai           submit: score the workspace now
    POST /hoc-vien/kich-ban/<id>/lam-lai           back to the start (attempts are kept)
    GET  /hoc-vien/lan-nop/<attempt id>            the score ledger of one attempt
    POST /hoc-vien/thoat                           leave
"""

from flask import Blueprint

bp = Blueprint("learn", __name__, url_prefix="/hoc-vien")

from sandbox.web.learn import views  # noqa: E402, F401 - routes register on import
