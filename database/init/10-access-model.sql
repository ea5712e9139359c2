-- Rendered from components/database/roles.ts by `npm run render-db-init`. Do not edit.
-- Roles, schema, privileges and extensions of database osint_platform.
\set ON_ERROR_STOP on
SELECT current_database() = 'osint_platform' AS osint_right_database \gset
\if :osint_right_database
\else
  \echo 'these scripts must run on database osint_platform (POSTGRES_DB)'
  SELECT 1/0 AS wrong_database;
\endif
BEGIN;
-- osint_migrator: owns schema osint and runs migrations (DDL)
SELECT format('CREATE ROLE %I', 'osint_migrator') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'osint_migrator') \gexec
ALTER ROLE osint_migrator WITH LOGIN NOCREATEDB NOCREATEROLE CONNECTION LIMIT 5;
ALTER ROLE osint_migrator SET search_path = osint, public;
-- osint_app: the application services: reads and writes data, no DDL
SELECT format('CREATE ROLE %I', 'osint_app') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'osint_app') \gexec
ALTER ROLE osint_app WITH LOGIN NOCREATEDB NOCREATEROLE CONNECTION LIMIT 60;
ALTER ROLE osint_app SET search_path = osint, public;
-- osint_readonly: analysts and reporting: SELECT only
SELECT format('CREATE ROLE %I', 'osint_readonly') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'osint_readonly') \gexec
ALTER ROLE osint_readonly WITH LOGIN NOCREATEDB NOCREATEROLE CONNECTION LIMIT 10;
ALTER ROLE osint_readonly SET search_path = osint, public;

-- A runner that is not a superuser (RDS's master user) must be a member of the owner to give
-- it the schema and set its default privileges.
SELECT format('GRANT %I TO %I', 'osint_migrator', current_user) WHERE NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AND NOT pg_has_role(current_user, 'osint_migrator', 'MEMBER') \gexec
CREATE SCHEMA IF NOT EXISTS osint AUTHORIZATION osint_migrator;
ALTER SCHEMA osint OWNER TO osint_migrator;
CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA public;
CREATE EXTENSION IF NOT EXISTS pg_stat_statements WITH SCHEMA public;

REVOKE ALL ON DATABASE osint_platform FROM PUBLIC;
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO PUBLIC;
REVOKE ALL ON DATABASE osint_platform FROM osint_migrator;
GRANT CONNECT ON DATABASE osint_platform TO osint_migrator;
REVOKE ALL ON DATABASE osint_platform FROM osint_app;
GRANT CONNECT ON DATABASE osint_platform TO osint_app;
REVOKE ALL ON DATABASE osint_platform FROM osint_readonly;
GRANT CONNECT ON DATABASE osint_platform TO osint_readonly;
REVOKE ALL ON SCHEMA osint FROM osint_app;
GRANT USAGE ON SCHEMA osint TO osint_app;
REVOKE ALL ON SCHEMA osint FROM osint_readonly;
GRANT USAGE ON SCHEMA osint TO osint_readonly;
REVOKE ALL ON ALL TABLES IN SCHEMA osint FROM osint_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA osint TO osint_app;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA osint FROM osint_app;
GRANT SELECT, USAGE ON ALL SEQUENCES IN SCHEMA osint TO osint_app;
REVOKE ALL ON ALL TABLES IN SCHEMA osint FROM osint_readonly;
GRANT SELECT ON ALL TABLES IN SCHEMA osint TO osint_readonly;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA osint FROM osint_readonly;
GRANT SELECT ON ALL SEQUENCES IN SCHEMA osint TO osint_readonly;

ALTER DEFAULT PRIVILEGES FOR ROLE osint_migrator IN SCHEMA osint REVOKE ALL ON TABLES FROM osint_app;
ALTER DEFAULT PRIVILEGES FOR ROLE osint_migrator IN SCHEMA osint GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO osint_app;
ALTER DEFAULT PRIVILEGES FOR ROLE osint_migrator IN SCHEMA osint REVOKE ALL ON SEQUENCES FROM osint_app;
ALTER DEFAULT PRIVILEGES FOR ROLE osint_migrator IN SCHEMA osint GRANT SELECT, USAGE ON SEQUENCES TO osint_app;
ALTER DEFAULT PRIVILEGES FOR ROLE osint_migrator IN SCHEMA osint REVOKE ALL ON TABLES FROM osint_readonly;
ALTER DEFAULT PRIVILEGES FOR ROLE osint_migrator IN SCHEMA osint GRANT SELECT ON TABLES TO osint_readonly;
ALTER DEFAULT PRIVILEGES FOR ROLE osint_migrator IN SCHEMA osint REVOKE ALL ON SEQUENCES FROM osint_readonly;
ALTER DEFAULT PRIVILEGES FOR ROLE osint_migrator IN SCHEMA osint GRANT SELECT ON SEQUENCES TO osint_readonly;
COMMIT;
