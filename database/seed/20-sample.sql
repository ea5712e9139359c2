-- Development sample data: two investigations and their entities, with fixed ids so re-running
-- inserts nothing twice.
INSERT INTO osint.investigations (id, title, status) VALUES
    ('00000000-0000-4000-8000-000000000001', 'Sample: phishing domain cluster', 'open'),
    ('00000000-0000-4000-8000-000000000002', 'Sample: leaked credential mention', 'closed')
ON CONFLICT (id) DO NOTHING;

INSERT INTO osint.entities (id, investigation_id, kind, value, source_type) VALUES
    ('00000000-0000-4000-8000-000000000101', '00000000-0000-4000-8000-000000000001', 'domain', 'login-example-support.test', 'dns'),
    ('00000000-0000-4000-8000-000000000102', '00000000-0000-4000-8000-000000000001', 'ip_address', '192.0.2.10', 'dns'),
    ('00000000-0000-4000-8000-000000000103', '00000000-0000-4000-8000-000000000001', 'registrant', 'Example Registrant Ltd', 'whois'),
    ('00000000-0000-4000-8000-000000000104', '00000000-0000-4000-8000-000000000002', 'email', 'analyst@example.test', 'web'),
    ('00000000-0000-4000-8000-000000000105', '00000000-0000-4000-8000-000000000002', 'handle', '@example_handle', 'social')
ON CONFLICT (id) DO NOTHING;
