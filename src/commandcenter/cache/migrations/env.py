"""Alembic environment: runs on the connection the app hands over (no URL in an ini file)."""

from alembic import context

from commandcenter.cache.models import metadata

connection = context.config.attributes.get("connection")
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
