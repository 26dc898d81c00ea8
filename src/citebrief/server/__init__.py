"""The web app of ``citebrief serve`` (FastAPI): REST API, one page, brief jobs, access control."""

from .app import ServerSettings, create_app

__all__ = ["ServerSettings", "create_app"]
