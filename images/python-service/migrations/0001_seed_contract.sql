-- The stand-in's only revision: the tables the seed contract names (docs/migrations.md), created
-- by osint_migrator as the application's first Alembic revision would. Idempotent, as
-- `alembic upgrade head` at head must be.
CREATE TABLE IF NOT EXISTS osint.source_types (code text PRIMARY KEY, name text NOT NULL);
CREATE TABLE IF NOT EXISTS osint.investigations (
    id uuid PRIMARY KEY,
    title text NOT NULL,
    status text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS osint.entities (
    id uuid PRIMARY KEY,
    investigation_id uuid NOT NULL REFERENCES osint.investigations (id),
    kind text NOT NULL,
    value text NOT NULL,
    source_type text NOT NULL REFERENCES osint.source_types (code)
);
