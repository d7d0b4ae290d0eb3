"""All mapped classes, importable from one place (Alembic and the seeder need the full metadata)."""

from sandbox.store.models.administration import FeeAccount, ProcessDefinition
from sandbox.store.models.catalogue import Procedure, ProcedureDocument
from sandbox.store.models.dossiers import Dossier, DossierDocument, DossierRecord, IssuedForm, Rating
from sandbox.store.models.events import Event
from sandbox.store.models.files import StoredFile
from sandbox.store.models.integrations import Notification, Payment, Signature
from sandbox.store.models.people import Business, Citizen, Officer
from sandbox.store.models.reference import Agency, Commune, Province, SectorSystem
from sandbox.store.models.training import Attempt, Trainee, Workshop
from sandbox.store.models.workspaces import DossierCounter, Workspace

__all__ = [
    "Agency",
    "Attempt",
    "Business",
    "Citizen",
    "Commune",
    "Dossier",
    "DossierCounter",
    "DossierDocument",
    "DossierRecord",
    "Event",
    "FeeAccount",
    "IssuedForm",
    "Notification",
    "Officer",
    "Payment",
    "ProcessDefinition",
    "Procedure",
    "ProcedureDocument",
    "Province",
    "Rating",
    "SectorSystem",
    "Signature",
    "StoredFile",
    "Trainee",
    "Workshop",
    "Workspace",
]
