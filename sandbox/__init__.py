"""Sa Bàn Một Cửa: a training sandbox for Vietnam's one-stop administrative-procedure systems.

Importing this package must stay cheap: no Flask, no SQLAlchemy (see DESIGN.md, Layout).
"""

__version__ = "0.1.0"
