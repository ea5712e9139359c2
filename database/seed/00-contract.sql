-- The seed contract: the tables the seed files write, which the application's Alembic migrations
-- create (docs/migrations.md). Checked first, so a mismatch stops the rollout with a clear
-- message instead of leaving a half-seeded database.
SELECT string_agg(t, ', ') AS missing_tables
  FROM unnest(ARRAY['osint.source_types', 'osint.investigations', 'osint.entities']) AS t
 WHERE to_regclass(t) IS NULL \gset
\if :{?missing_tables}
  \echo seed contract not met: the application migrations must create :missing_tables
  SELECT 1/0 AS seed_contract_not_met;
\endif
