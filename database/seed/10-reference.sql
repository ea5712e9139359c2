-- Minimal initialisation data, every environment: the kinds of source the platform collects
-- from. Upserted, so re-running changes nothing and corrects a renamed entry.
INSERT INTO osint.source_types (code, name) VALUES
    ('web', 'Web page'),
    ('social', 'Social media post'),
    ('dns', 'DNS record'),
    ('whois', 'WHOIS registration'),
    ('certificate', 'TLS certificate transparency entry'),
    ('document', 'Public document')
ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name;
