-- The campaign report's reads at the scale of a 1,000,000-recipient campaign (BENCHMARKS.md, "Campaign report").
-- Run from the repository root: psql -h 127.0.0.1 -U postgres -d postgres -f benchmarks/campaign-report-scale.sql
\set ON_ERROR_STOP on
DROP DATABASE IF EXISTS campaign_report_scale;
CREATE DATABASE campaign_report_scale;
\c campaign_report_scale
\i query-side/src/main/resources/db/query-migration/V4240__campaign_report.sql
-- 1,000,000 recipients of campaign big: 40% opened (30% by people), 8% clicked; 1.5 opens and 1.3 clicks each
INSERT INTO campaign_report_mark SELECT 'big', 'o:big:' || g FROM generate_series(1, 400000) g;
INSERT INTO campaign_report_mark SELECT 'big', 'oh:big:' || g FROM generate_series(1, 300000) g;
INSERT INTO campaign_report_mark SELECT 'big', 'c:big:' || g FROM generate_series(1, 80000) g;
INSERT INTO campaign_report_mark SELECT 'big', 'l' || (g % 20) || ':big:' || g FROM generate_series(1, 80000) g;
INSERT INTO campaign_report_mark SELECT 'big', 'e:' || gen_random_uuid() FROM generate_series(1, 704000) g;
-- other campaigns' rows around it
INSERT INTO campaign_report_mark SELECT 'c' || (g % 50), 'e:' || gen_random_uuid() FROM generate_series(1, 500000) g;
INSERT INTO campaign_report SELECT 'c' || g, 1, 1, 1, 1, 1, 1, 1, 1 FROM generate_series(0, 49) g;
INSERT INTO campaign_report VALUES ('big', 600000, 450000, 400000, 300000, 104000, 80000, 80000, 60000);
-- 60 days of activity, every hour
INSERT INTO campaign_report_hour SELECT 'big', timestamptz '2026-10-01' + g * interval '1 hour', 400, 300, 250, 200, 70, 50, 50, 40 FROM generate_series(0, 1439) g;
INSERT INTO campaign_report_hour SELECT 'c' || (g % 50), timestamptz '2026-10-01' + (g / 50) * interval '1 hour', 1, 1, 1, 1, 1, 1, 1, 1 FROM generate_series(0, 71999) g;
INSERT INTO campaign_report_link SELECT 'big', g, 'https://shop.example.com/p/' || g, 5200, 4000, 4000, 3000 FROM generate_series(0, 19) g;
VACUUM ANALYZE;
SELECT count(*) AS marks FROM campaign_report_mark;
\timing on
SELECT opens_all, opens_human, openers_all, openers_human, clicks_all, clicks_human, clickers_all, clickers_human FROM campaign_report WHERE campaign_id = 'big';
SELECT count(*) FROM (SELECT hour, opens_all, opens_human, openers_all, openers_human, clicks_all, clicks_human, clickers_all, clickers_human FROM campaign_report_hour WHERE campaign_id = 'big' ORDER BY hour) h;
SELECT count(*) FROM (SELECT link_index, url, clicks_all, clicks_human, unique_all, unique_human FROM campaign_report_link WHERE campaign_id = 'big' ORDER BY link_index) l;
\timing off
EXPLAIN (ANALYZE, BUFFERS) SELECT hour, opens_all, opens_human, openers_all, openers_human, clicks_all, clicks_human, clickers_all, clickers_human FROM campaign_report_hour WHERE campaign_id = 'big' ORDER BY hour;
EXPLAIN (ANALYZE) SELECT opens_all FROM campaign_report WHERE campaign_id = 'big';
EXPLAIN (ANALYZE) SELECT link_index, url FROM campaign_report_link WHERE campaign_id = 'big' ORDER BY link_index;
\c postgres
DROP DATABASE campaign_report_scale;
