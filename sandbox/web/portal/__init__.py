"""The citizen portal (Cổng Dịch vụ công, mock): sign in with the mock VNeID, follow one's dossiers.

Routes:
    GET/POST /dich-vu-cong/dang-nhap        sign in with VNeID (mock): CCCD and password
    GET      /dich-vu-cong/thu-tuc          the public procedure catalogue (search, sector, level)
    GET/POST /dich-vu-cong/thu-tuc/<code>/nop-truc-tuyen   file a dossier online (eForm, attachments)
    GET      /dich-vu-cong/                 «Hồ sơ của tôi»: the citizen's dossiers and their national status
    GET      /dich-vu-cong/ho-so/<code>     following one dossier: status, steps, documents, result
"""

from flask import Blueprint

bp = Blueprint("portal", __name__, url_prefix="/dich-vu-cong")

from sandbox.web.portal import filing, follow_up, views  # noqa: E402, F401 - routes register on import
