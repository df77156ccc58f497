"""parent_portal: the phone-first parent app (FastAPI, server-rendered pages, SQLAlchemy 2 + Alembic).

`create_app(settings)` in parent_portal.app builds the web app; `kidsafe portal ...` runs it
(see parent_portal/README.md).
"""
